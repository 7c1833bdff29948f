/** One schema mismatch of a request, by path (`body/config/tokenUrl`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

interface ZodIssueLike {
  path?: PropertyKey[];
  message?: string;
}

/** A validation error as fastify-type-provider-zod reports each zod issue. */
interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: { errors?: ZodIssueLike[][] };
}

/**
 * The request's mismatches, by path. A union body (a custom connector or a catalog preset)
 * fails as a whole; its issues are those of the branch the caller meant: the one that did
 * not fail on `provider`, the field that tells them apart.
 */
export function validationIssues(
  context: string,
  items: readonly ValidationItem[],
): ValidationIssue[] {
  return items.flatMap((item) => {
    const branches = item.keyword === 'invalid_union' ? item.params?.errors : undefined;
    if (!branches?.length)
      return [{ path: `${context}${item.instancePath}`, message: item.message ?? '' }];
    const meant = branches.find((issues) => !issues.some((i) => i.path?.[0] === 'provider'));
    const base = `${context}${item.instancePath.replace(/\/$/, '')}`;
    return (meant ?? branches[0] ?? []).map((issue) => ({
      path: [base, ...(issue.path ?? []).map(String)].join('/'),
      message: issue.message ?? '',
    }));
  });
}
