import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compareSequencers, decodeS3Key, isIngestKey, normalizeSequencer, readS3Message } from '../../../../functions/core/pipeline/s3-events';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/events/${name}`, import.meta.url), 'utf8');

describe('decodeS3Key', () => {
  it.each([
    ['incoming/Pressemitteilung+M%C3%A4rz%2BQ1+100%25.txt', 'incoming/Pressemitteilung März+Q1 100%.txt'],
    ['incoming/%E7%99%BA%E8%A1%A8+2026.md', 'incoming/発表 2026.md'],
    ['incoming/a%3Bb.txt', 'incoming/a;b.txt'],
    ['incoming/plain.txt', 'incoming/plain.txt'],
  ])('%s → %s', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });
});

describe('compareSequencers', () => {
  it('right-pads the shorter value with zeros before comparing', () => {
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E500')).toBe(0);
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E501')).toBe(-1);
    // Numerically 0x56 < 0x0055…, but S3's rule is string order after padding.
    expect(compareSequencers('56', '0055AED6DCD90281E5')).toBe(1);
  });

  it('orders newer after older and is antisymmetric', () => {
    expect(compareSequencers('0065A1B2C3D4E5F601', '0065A1B2C3D4E5F602')).toBeLessThan(0);
    expect(compareSequencers('0065A1B2C3D4E5F602', '0065A1B2C3D4E5F601')).toBeGreaterThan(0);
  });

  it('stores sequencers at one width so the database compares them as strings', () => {
    expect(normalizeSequencer('0055aed6')).toBe('0055AED6'.padEnd(32, '0'));
    expect(normalizeSequencer('0055AED6') < normalizeSequencer('0055AED7')).toBe(true);
  });
});

describe('readS3Message', () => {
  it('decodes the object-created record of a real-shaped notification', () => {
    const content = readS3Message(fixture('s3-object-created.json'));
    expect(content).toEqual({
      kind: 'records',
      ignored: [],
      events: [
        {
          bucket: 'polywire-uploads',
          key: 'incoming/Pressemitteilung März+Q1 100%.txt',
          sequencer: '0065A1B2C3D4E5F601',
          size: 1024,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          eventTime: '2026-11-26T09:00:00.123Z',
        },
      ],
    });
  });

  it('recognises the s3:TestEvent', () => {
    expect(readS3Message(fixture('s3-test-event.json'))).toEqual({ kind: 'test-event' });
  });

  it('ignores keys outside incoming/, folder markers and other event types', () => {
    const notification = JSON.parse(fixture('s3-object-created.json'));
    const template = notification.Records[0];
    const record = (key: string, eventName = 'ObjectCreated:Put') => ({ ...template, eventName, s3: { ...template.s3, object: { ...template.s3.object, key } } });
    notification.Records = [record('quarantine/x.txt'), record('incoming/2026/'), record('incoming/x.txt', 'ObjectRemoved:Delete'), record('incoming/ok.txt')];
    const content = readS3Message(JSON.stringify(notification));
    expect(content.kind === 'records' && content.events.map((e) => e.key)).toEqual(['incoming/ok.txt']);
    expect(content.kind === 'records' && content.ignored.map((i) => i.reason)).toEqual(['outside incoming/', 'folder marker', 'event ObjectRemoved:Delete']);
  });

  it('refuses a body that is not an S3 notification', () => {
    expect(() => readS3Message('{"releaseId":"x"}')).toThrow();
  });
});

describe('isIngestKey', () => {
  it('accepts files under incoming/ only', () => {
    expect(isIngestKey('incoming/a.txt')).toBe(true);
    expect(isIngestKey('incoming/')).toBe(false);
    expect(isIngestKey('incoming/sub/')).toBe(false);
    expect(isIngestKey('releases/a/v1.json')).toBe(false);
  });
});
