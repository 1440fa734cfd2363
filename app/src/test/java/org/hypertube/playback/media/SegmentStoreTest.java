package org.hypertube.playback.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kept segments of one variant as several instances sharing the data folder see them: nobody
 * deletes files another writer published or is still copying, and an eviction by another instance
 * makes the segments "not made" again instead of served from a missing file.
 */
class SegmentStoreTest {

    private static final String HEADER = "hypertube-segments 1 transcode-720 10 20.000000 00000000000000aa";
    private static final String OTHER = "hypertube-segments 1 transcode-720 11 20.000000 00000000000000bb";

    @TempDir
    Path variant;
    @TempDir
    Path run;

    private Path written(String name) throws Exception {
        return Files.writeString(run.resolve(name), name);
    }

    @Test
    void anInstanceOpeningTheVariantBeforeTheIndexExistsKeepsTheInitAndCopiesInProgress() throws Exception {
        SegmentStore first = new SegmentStore(variant, HEADER, 10);
        first.addInit(written("init1.mp4"));   // published before the first segment writes the index
        Path copying = Files.writeString(first.directory().resolve("seg0.m4s.part-1234"), "half");

        SegmentStore second = new SegmentStore(variant, HEADER, 10);

        assertThat(second.hasInit()).as("another instance's init stays").isTrue();
        assertThat(copying).as("a copy in progress stays").exists();
    }

    @Test
    void onlyStaleTemporaryCopiesAreCleanedUp() throws Exception {
        SegmentStore first = new SegmentStore(variant, HEADER, 10);
        Path stale = Files.writeString(first.directory().resolve("seg3.m4s.part-old"), "left over");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(SegmentStore.STALE_PART).minusSeconds(60)));
        Path fresh = Files.writeString(first.directory().resolve("seg4.m4s.part-new"), "copying");

        new SegmentStore(variant, HEADER, 10);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void instancesDisagreeingOnTheTimelineKeepEachOthersSegments() throws Exception {
        SegmentStore mine = new SegmentStore(variant, HEADER, 10);
        mine.add(0, written("seg0.m4s"));
        mine.addInit(written("init1.mp4"));

        SegmentStore theirs = new SegmentStore(variant, OTHER, 11);
        theirs.add(1, written("other1.m4s"));

        assertThat(theirs.directory()).isNotEqualTo(mine.directory());
        assertThat(theirs.has(0)).isFalse();
        assertThat(mine.has(0)).as("their store deleted nothing of mine").isTrue();
        assertThat(mine.segment(0)).exists();
        assertThat(mine.hasInit()).isTrue();
        assertThat(new SegmentStore(variant, HEADER, 10).has(0)).as("kept for the next viewer").isTrue();
    }

    @Test
    void segmentsOfAFilmAnotherInstanceEvictedAreNotMadeAnyMore() throws Exception {
        SegmentStore store = new SegmentStore(variant, HEADER, 10);
        store.add(2, written("seg2.m4s"));
        assertThat(store.has(2)).isTrue();

        SegmentStore.delete(variant);   // the other instance evicts the film

        assertThat(store.has(2)).isFalse();
        assertThat(store.firstMissing(0)).isZero();
    }

    @Test
    void aRecordedSegmentWhoseFileVanishedIsMadeAgain() throws Exception {
        SegmentStore store = new SegmentStore(variant, HEADER, 10);
        store.add(5, written("seg5.m4s"));
        Files.delete(store.segment(5));
        store.lost(5);
        assertThat(store.has(5)).isFalse();
    }
}
