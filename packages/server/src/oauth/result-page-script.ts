/**
 * The script of the result page, served as a static file so the page needs no inline code.
 * It tells every Latchkey tab of this origin how the flow ended, then tries to close itself.
 */
export const RESULT_PAGE_SCRIPT = `(function () {
  'use strict';
  var CLOSE_DELAY_MS = 3000;
  var result = document.getElementById('oauth-result');
  var hint = document.getElementById('close-hint');
  if (!result) return;
  var message = { connectorId: result.dataset.connectorId, status: result.dataset.status };
  if (result.dataset.error) message.error = result.dataset.error;
  if (typeof BroadcastChannel === 'function') {
    var channel = new BroadcastChannel('oauth_flow_completed');
    channel.postMessage(message);
    channel.close();
  }
  if (message.status !== 'success') { hint.hidden = false; return; }
  setTimeout(function () {
    window.close();
    // Still here: the browser refused to close a tab it did not open by script.
    hint.hidden = false;
  }, CLOSE_DELAY_MS);
})();
`;
