package org.hypertube.playback.media;

/**
 * How to play one film with one choice of audio.
 *
 * @param mode        direct, remux or transcode
 * @param videoStream ffprobe index of the video stream played
 * @param audioStream ffprobe index of the audio stream played; -1 when the film has none
 * @param height      picture height of a transcode (even, never above the source's); 0 = the film's own
 */
public record Plan(Delivery mode, int videoStream, int audioStream, int height) {

    public Plan {
        if (mode == null) {
            throw new IllegalArgumentException("no delivery mode");
        }
        if (height < 0 || (mode != Delivery.TRANSCODE && height != 0)) {
            throw new IllegalArgumentException("height " + height + " for " + mode);
        }
    }

    /** Short text for logs and folder names: "remux-v0-a1", "transcode-v0-a2-720". */
    public String label() {
        return mode.name().toLowerCase() + "-v" + videoStream + "-a" + audioStream + (height > 0 ? "-" + height : "");
    }
}
