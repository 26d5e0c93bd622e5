// @ts-check
// The keypoint layout every JavaScript module shares: MoveNet's 17 keypoints
// in COCO order, each as x, y (pixels of the unmirrored image) and a score.
// Python's definition is web/py/strike_a_pose/keypoints.py (NUM_KEYPOINTS,
// VALUES_PER_KEYPOINT, FLAT_POSE_LENGTH); tests/unit/test_js_constants.py
// checks that the two agree.

/** Keypoints per pose (nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles). */
export const KEYPOINT_COUNT = 17;

/** Values per keypoint: x (px), y (px), score (0..1). */
export const VALUES_PER_KEYPOINT = 3;

/** Length of a flat pose, the Float32Array the detector hands Python. */
export const POSE_VALUES = KEYPOINT_COUNT * VALUES_PER_KEYPOINT;
