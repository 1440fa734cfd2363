package org.hypertube.playback;

import java.util.List;

/** The subtitle languages a film has here, for the REST API. */
public interface AvailableSubtitles {

    /** Language tags ({@code en}, {@code fr}) of the film's subtitle tracks; empty until its file has been probed. */
    List<String> languages(long filmId);
}
