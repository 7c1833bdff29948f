/** GitHub's documented error answers. https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api */
export const BAD_CREDENTIALS = {
  message: 'Bad credentials',
  documentation_url: 'https://docs.github.com/rest',
  status: '401',
};
export const NOT_FOUND = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest',
  status: '404',
};

/** A token endpoint error, as GitHub's troubleshooting page shows it. */
export function tokenError(error: string, description: string) {
  const anchor = error.replaceAll('_', '-');
  return {
    error,
    error_description: description,
    error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${anchor}`,
  };
}
