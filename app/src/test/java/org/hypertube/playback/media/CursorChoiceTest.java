package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which cursor brings a segment, on cursors that run no ffmpeg (never started) and a manual clock: the
 * choices a seek, a second viewer and a busy machine make (PLAYBACK.md "Seeking").
 */
class CursorChoiceTest {

    private static final long SECOND = 1_000_000_000L;
    /** 60 transcoded segments of 2 s (after the first N frames' three). */
    private final HlsTimeline transcode = HlsTimeline.transcode(120, new Rational(24, 1));
    private final List<HlsCursor> cursors = new ArrayList<>();
    private final List<Integer> started = new ArrayList<>();
    private final AtomicInteger freeSlots = new AtomicInteger(1);
    private long now = 1000 * SECOND;

    @BeforeEach
    void clear() {
        cursors.clear();
        started.clear();
    }

    private CursorChoice choice(HlsTimeline timeline, boolean remux) {
        return new CursorChoice("test", timeline, remux, freeSlots::get, k -> {
            started.add(k);
            HlsCursor c = new HlsCursor(null, k);
            cursors.add(c);
            return c;
        });
    }

    /** A cursor started at the film's start that has made segments up to {@code position}. */
    private HlsCursor cursorAt(int position, String lastViewer) {
        HlsCursor c = new HlsCursor(null, position);
        c.movedTo = 0;
        c.lastViewer = lastViewer;
        c.lastWanted = now;
        cursors.add(c);
        return c;
    }

    @Test
    void aSegmentACursorReachesSoonIsWaitedFor() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor bob = cursorAt(10, "bob");
        assertThat(choice.claim(cursors, 13, "alice", now)).isSameAs(bob);
        assertThat(bob.position()).isEqualTo(10);
        assertThat(started).isEmpty();
        assertThat(choice.willReach(bob, 14)).as("4 segments ahead").isFalse();
        assertThat(choice.willReach(bob, 9)).as("behind it").isFalse();
    }

    @Test
    void aRemuxCursorIsWaitedForFurtherAheadInSecondsOfFilm() {
        double[] keyframes = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
        HlsTimeline remux = HlsTimeline.remux(32, 0, keyframes, false);
        CursorChoice choice = choice(remux, true);
        HlsCursor c = cursorAt(2, "bob");
        assertThat(choice.willReach(c, 12)).as("20 s of film ahead").isTrue();
        assertThat(choice.willReach(c, 13)).isFalse();
        assertThat(choice(transcode, false).willReach(c, 12)).as("a transcode: 3 segments only").isFalse();
    }

    @Test
    void aSeekMovesTheViewersOwnCursorEvenWithASlotFree() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor alice = cursorAt(5, "alice");
        freeSlots.set(1);
        assertThat(choice.claim(cursors, 40, "alice", now)).isSameAs(alice);
        assertThat(alice.position()).isEqualTo(40);
        assertThat(started).as("no second ffmpeg reading the film beside it").isEmpty();
    }

    @Test
    void aSeekLeavesTheCursorAnotherViewerFollowsJustBehindAndStartsItsOwn() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor shared = cursorAt(8, "alice");
        choice.followed(cursors, 6, "bob", now - SECOND);   // Bob got segment 6 a second ago, just behind it
        choice.followed(cursors, 7, "alice", now);           // Alice at its head
        assertThat(choice.claim(cursors, 40, "alice", now)).isNotSameAs(shared);
        assertThat(shared.position()).as("Bob's ffmpeg stays").isEqualTo(8);
        assertThat(started).containsExactly(40);
    }

    @Test
    void aViewerFarBehindACursorDoesNotFollowIt() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor c = cursorAt(20, "alice");
        c.lastWanted = now - 10 * SECOND;
        choice.followed(cursors, 1, "bob", now);
        assertThat(c.lastWanted).as("not wanted by a viewer 19 segments behind").isEqualTo(now - 10 * SECOND);
        assertThat(c.lastViewer).isEqualTo("alice");
        assertThat(choice.claim(cursors, 40, "alice", now)).as("Alice's seek moves it").isSameAs(c);
        assertThat(c.position()).isEqualTo(40);
    }

    @Test
    void withNoSlotFreeAnotherViewersCursorInUseIsNotTakenUntilItMadeItsTurn() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor bob = cursorAt(10, "bob");
        bob.waiterAdded("bob");
        freeSlots.set(0);
        cursorAt(30, "carol").waiterAdded("carol");
        assertThat(choice.claim(cursors, 50, "alice", now)).as("Alice waits").isNull();
        assertThat(bob.position()).isEqualTo(10);

        bob.madeSinceMove = CursorChoice.TURN_SEGMENTS;
        assertThat(choice.claim(cursors, 50, "alice", now)).as("Bob's turn is over").isSameAs(bob);
        assertThat(bob.position()).isEqualTo(50);
        assertThat(bob.madeSinceMove).isZero();
        assertThat(started).isEmpty();
    }

    @Test
    void aCursorNobodyAskedAnythingOfForAWhileIsTakenTheOldestFirst() {
        CursorChoice choice = choice(transcode, false);
        freeSlots.set(0);
        HlsCursor older = cursorAt(10, "bob");
        HlsCursor newer = cursorAt(30, "carol");
        older.lastWanted = now - 5 * SECOND;
        newer.lastWanted = now - 3 * SECOND;
        assertThat(CursorChoice.movable(newer, "alice", now - 2 * SECOND)).as("asked of 1 s before").isFalse();
        assertThat(choice.claim(cursors, 50, "alice", now)).isSameAs(older);
        assertThat(older.position()).isEqualTo(50);
        assertThat(newer.position()).isEqualTo(30);
    }

    @Test
    void aSecondCursorStartsOnlyWhileASlotIsFreeAndNeverAThird() {
        CursorChoice choice = choice(transcode, false);
        HlsCursor bob = cursorAt(10, "bob");
        bob.waiterAdded("bob");
        freeSlots.set(0);
        assertThat(choice.claim(cursors, 50, "alice", now)).isNull();
        freeSlots.set(1);
        assertThat(choice.claim(cursors, 50, "alice", now)).isNotNull();
        assertThat(started).containsExactly(50);
        cursors.getLast().waiterAdded("alice");
        freeSlots.set(3);
        assertThat(choice.claim(cursors, 5, "carol", now)).as("two per variant at most").isNull();
        assertThat(started).containsExactly(50);
    }
}
