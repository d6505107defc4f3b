import type { DeriveProblemCode } from '../../../shared/jobSchemas';

/**
 * A derivation that cannot be made, with the reason in a code the jobs panel says in plain words
 * (`DERIVE_PROBLEM_MESSAGES`) and the tool's own words as `detail`.
 */
export class DeriveError extends Error {
  constructor(
    readonly problem: DeriveProblemCode,
    readonly params: Record<string, string | number> = {},
    readonly detail = '',
  ) {
    super(detail ? `${problem}: ${detail}` : problem);
    this.name = 'DeriveError';
  }
}
