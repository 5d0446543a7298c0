/** Real-shaped wire releases (plain text, the shape of the seed release) for the pipeline tests. */
export function wireRelease(input: { headline: string; company?: string; extra?: string; categories?: string[] }): string {
  const company = input.company ?? 'Acme Robotics';
  return [
    input.headline,
    '',
    `(SeaPRwire) – BERLIN, 26 November 2026 – ${company} today announced ${input.headline.toLowerCase()}, the next step in its plan to bring household robots to every home in Europe.`,
    '',
    `“This is a milestone for our customers and our partners,” said Jane Doe, chief executive officer of ${company}. “We are proud of the team that made it happen.”`,
    ...(input.extra ? ['', input.extra] : []),
    '',
    `Category: ${(input.categories ?? ['Technology', 'Robotics']).join(', ')}`,
    '',
  ].join('\n');
}
