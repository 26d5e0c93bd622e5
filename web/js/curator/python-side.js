// @ts-check
// What web/py/curator_main.py puts on the curator page once Python runs: the
// game core's own pack loader, the play statistics' reports (each a function
// of JSON text, answering JSON or CSV text) and the pose schema. Each is
// absent until then (Python fires "python-ready" on the document).

/**
 * @typedef {object} CuratorPython
 * @property {(packJson: string) => string} validatePack the loader's problems, [{where, message}]
 * @property {(recordsJson: string, packsJson: string, today: string) => string} statsOverview
 *   the statistics view's figures
 * @property {(recordsJson: string) => string} statsCsv every record, as CSV
 * @property {(recordsJson: string, packJson: string) => string} statsAdvice per level of the pack
 * @property {string} poseSchema the keypoint order, bones, judged limbs and their labels, as JSON
 */

/** Python's side of the curator page (members absent before Python runs). @returns {Partial<CuratorPython>} */
export function curatorPython() {
  return /** @type {Partial<CuratorPython>} */ (globalThis);
}
