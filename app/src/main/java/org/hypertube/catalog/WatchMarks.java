package org.hypertube.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a member has seen, for thumbnails (watched mark, progress bar) and the "continue watching"
 * row. Playback implements it; the catalog only asks, so it does not depend on playback.
 */
public interface WatchMarks {

    /** @param percent how far the member got, 0..100 */
    record Mark(boolean watched, int percent) {}

    /** The marks of these films for the signed-in person (the {@code Authentication} of the request). */
    Map<Long, Mark> marks(java.security.Principal member, Collection<Long> filmIds);

    /** Films the person started and did not finish, most recent first. */
    List<Long> continueWatching(java.security.Principal member, int max);
}
