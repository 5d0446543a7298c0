/**
 * The QA step of the translate stage: checks a translated variant against its release and returns
 * the summary stored on the variant record (shown by `polywire status`) and the checks whose
 * errors hold the language under the deployment's QA policy (see docs/qa.md).
 */
import { checkTranslation, holdingChecks, type QaCheck, type QaPolicy, type QaSeverity } from '../qa';
import { contentOf, type Release } from '../release';
import type { Glossary } from '../translation';
import type { Variant } from '../variant';

/** Findings kept on the record: enough for an editor's overview, bounded for a DynamoDB item. */
export const MAX_STORED_FINDINGS = 50;

export interface VariantQaSummary {
  errors: number;
  warnings: number;
  findings: Array<{ check: QaCheck; severity: QaSeverity; block: string; segment?: number; message: string }>;
  notApplicable: QaCheck[];
}

/**
 * Undefined for the original (nothing to compare). `hold` is decided over every finding, not only
 * the stored ones.
 */
export async function checkVariant(release: Release, variant: Variant, glossary: Glossary, policy: QaPolicy): Promise<{ summary: VariantQaSummary; hold: QaCheck[] } | undefined> {
  if (variant.provenance.kind === 'original') return undefined;
  const automatic = [release.sourceTag?.wire, release.sourceTag?.raw.trim()].filter((t): t is string => !!t);
  const report = await checkTranslation({
    source: contentOf(release),
    sourceLanguage: release.language,
    translation: variant.content,
    language: variant.language,
    provenance: variant.provenance.kind,
    doNotTranslate: [...glossary.doNotTranslate, ...automatic],
    forcedTerms: glossary.forcedTerms[variant.language] ?? {},
  });
  const summary: VariantQaSummary = {
    errors: report.counts.errors,
    warnings: report.counts.warnings,
    findings: report.findings.slice(0, MAX_STORED_FINDINGS).map((f) => ({
      check: f.check,
      severity: f.severity,
      block: f.location.block,
      ...(f.location.segment === undefined ? {} : { segment: f.location.segment }),
      message: f.message,
    })),
    notApplicable: report.notApplicable.map((n) => n.check),
  };
  // Pseudo-localized text is never held: it is visibly no translation, and its accented scale
  // words (`Ṁŕđ.`, `ɱííļļíóóñ`) are misread by the figures check, which would hold most real
  // releases on the local stack for nothing. Its findings are still recorded.
  const hold = variant.provenance.kind === 'pseudo' ? [] : holdingChecks(policy, variant.language, report.findings);
  return { summary, hold };
}
