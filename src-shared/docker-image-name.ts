// Docker's image reference grammar (distribution/reference): what `docker pull` and
// `docker run` accept. The editor refuses other names with the rule in words
// (error.image.badName / fix.image.nameRule).

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@${DIGEST})?$`);

/** Docker's limit on the name part (domain and path, without tag or digest). */
const MAX_NAME = 255;

/** Whether Docker accepts this as an image reference. */
export function isDockerImageName(image: string): boolean {
  const match = REFERENCE.exec(image);
  if (!match) return false;
  // The first part is a registry only when it looks like one; "Team/app" is an upper-case path.
  const domain = match[1];
  if (domain !== undefined && !/[.:]|^localhost$|^\[/.test(domain)) {
    if (domain !== domain.toLowerCase() || !new RegExp(`^${PATH_COMPONENT}$`).test(domain)) return false;
  }
  return (domain ? domain.length + 1 : 0) + match[2]!.length <= MAX_NAME;
}
