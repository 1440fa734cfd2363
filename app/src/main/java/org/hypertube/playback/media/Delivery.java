package org.hypertube.playback.media;

/** How a film reaches the browser (PLAYBACK.md §1.1). */
public enum Delivery {
    /** The file itself, with HTTP Range requests. */
    DIRECT,
    /** HLS, video copied (cut at its keyframes), audio converted to AAC stereo. */
    REMUX,
    /** HLS, video encoded again with libx264, audio converted to AAC stereo. */
    TRANSCODE
}
