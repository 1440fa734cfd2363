package org.hypertube.playback.media;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ffmpeg (an {@link HlsCursor}) of a shared conversion brings a segment a viewer asks for, and when one
 * may leave its place for another viewer (PLAYBACK.md "Shared conversions", Seeking): a policy over the
 * cursors' scheduling state, with no ffmpeg of its own. Every call is made holding the conversion's lock,
 * and {@code now} is a {@link System#nanoTime()} reading.
 */
final class CursorChoice {

    private static final Logger log = LoggerFactory.getLogger(CursorChoice.class);
    /** A running ffmpeg is waited for when it is at most this many segments short of the one asked... */
    static final int REACH_SEGMENTS = 3;
    /** ...or, copying video (about 35× real time), this many seconds of film short of it. */
    static final double REMUX_REACH_SECONDS = 20;
    /** ffmpeg processes of one variant at most (each with a conversion slot of its own). */
    static final int CURSORS = 2;
    /** Segments a cursor makes where it was moved before a viewer elsewhere may move it again... */
    static final int TURN_SEGMENTS = 4;
    /** ...unless nobody asked anything of it for this long. */
    static final Duration TURN_IDLE = Duration.ofSeconds(2);

    /** Starts a new cursor (ffmpeg) of the conversion at segment k and adds it to its cursors. */
    interface Starter {
        HlsCursor start(int k);
    }

    private final String name;
    private final HlsTimeline timeline;
    private final boolean remux;
    private final IntSupplier freeSlots;
    private final Starter starter;

    /**
     * @param name      the conversion, for logs
     * @param remux     copying video (a cursor reaches further ahead soon)
     * @param freeSlots conversion slots free now
     */
    CursorChoice(String name, HlsTimeline timeline, boolean remux, IntSupplier freeSlots, Starter starter) {
        this.name = name;
        this.timeline = timeline;
        this.remux = remux;
        this.freeSlots = freeSlots;
        this.starter = starter;
    }

    /**
     * The cursor that will bring segment k (caller holds the lock): one that gets there soon; else this
     * viewer's own one elsewhere, moved here (a seek: its old ffmpeg would read the film beside the new one
     * and halve the swarm's bytes for it), unless another viewer followed it within {@link #TURN_IDLE}
     * (one playing a few segments behind: it stays his); else a new one when this conversion has fewer than
     * {@link #CURSORS} and a slot is free now (or none at all); else one that may be moved there; else null
     * (the request waits and asks again).
     */
    HlsCursor claim(List<HlsCursor> cursors, int k, String viewer, long now) {
        cursors.removeIf(HlsCursor::done);
        for (HlsCursor c : cursors) {
            if (willReach(c, k)) {
                return c;
            }
        }
        for (HlsCursor c : cursors) {
            if (viewer.equals(c.lastViewer) && c.waitedOnOnlyBy(viewer)
                    && !c.followedByAnotherThan(viewer, now, TURN_IDLE)) {
                log.info("playback {}: ffmpeg moved from segment {} to {}, where its viewer went", name,
                        c.position(), k);
                c.moveTo(k);
                return c;
            }
        }
        if (cursors.isEmpty() || (cursors.size() < CURSORS && freeSlots.getAsInt() > 0)) {
            return starter.start(k);
        }
        HlsCursor moved = null;
        for (HlsCursor c : cursors) {
            if (movable(c, viewer, now) && (moved == null || c.lastWanted < moved.lastWanted)) {
                moved = c;
            }
        }
        if (moved != null) {
            log.info("playback {}: ffmpeg moved from segment {} to {} for a viewer waiting there", name,
                    moved.position(), k);
            moved.moveTo(k);
        }
        return moved;
    }

    /**
     * Whether a cursor may leave its place for another position: nobody waits on it and it was this
     * viewer's, or nobody asked anything of it for a while; or it has made its turn of segments since
     * it was last moved (then a viewer elsewhere gets its turn even while one waits here).
     */
    static boolean movable(HlsCursor c, String viewer, long now) {
        if (c.waiters == 0 && (viewer.equals(c.lastViewer) || now - c.lastWanted > TURN_IDLE.toNanos())) {
            return true;
        }
        return c.madeSinceMove >= TURN_SEGMENTS;
    }

    /** Running or queued, at or before k, and at most a few segments (or, remuxing, seconds) short of it. */
    boolean willReach(HlsCursor c, int k) {
        if (c.done()) {
            return false;
        }
        int at = c.position();
        if (k < at) {
            return false;
        }
        if (k <= at + REACH_SEGMENTS) {
            return true;
        }
        return remux && timeline.start(k) - timeline.start(at) <= REMUX_REACH_SECONDS;
    }

    /**
     * A viewer got segment k just behind a cursor (at most {@link #REACH_SEGMENTS} behind where it is): that
     * cursor is still wanted, and followed by that viewer (another viewer's seek then starts an ffmpeg of its
     * own rather than moving this one). A viewer further behind needs nothing of it now.
     */
    void followed(List<HlsCursor> cursors, int k, String viewer, long now) {
        for (HlsCursor c : cursors) {
            if (Math.max(c.movedTo, c.position() - REACH_SEGMENTS) <= k && k <= c.position() + REACH_SEGMENTS) {
                c.lastWanted = now;
                c.lastViewer = viewer;
                c.followedBy(viewer, now);
            }
        }
    }
}
