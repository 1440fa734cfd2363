package org.hypertube.playback.subtitle;

import java.util.Locale;

/** Where a subtitle track comes from. */
public enum SubtitleSource {
    /** A subtitle file in the film's torrent. */
    SIDECAR,
    /** A text track inside the video file. */
    EMBEDDED,
    /** Downloaded from OpenSubtitles.com. */
    OPENSUBTITLES;

    /** The lower-case name used in track ids and cache file names. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
