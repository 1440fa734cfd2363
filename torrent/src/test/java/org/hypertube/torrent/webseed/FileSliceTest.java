package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.webseed.TestTorrents.Entry;
import org.junit.jupiter.api.Test;

class FileSliceTest {
    // Bytes: a [0,100) pad [100,256) empty b [256,306) c [306,316) ; pieces of 128.
    private static final TorrentInfo INFO = TestTorrents.multi("item", 128,
            Entry.of("a", 100), Entry.pad(156), Entry.of("empty", 0), Entry.of("b", 50), Entry.of("c", 10));

    @Test
    void aSpanInsideOneFileIsOneSlice() {
        assertThat(FileSlice.plan(INFO, 10, 20)).containsExactly(new FileSlice(0, 10, 20, 0, false));
    }

    @Test
    void aSpanAcrossFilesIsOneSliceEachWithTheirBufferOffsets() {
        assertThat(FileSlice.plan(INFO, 280, 36)).containsExactly(
                new FileSlice(3, 24, 26, 0, false),
                new FileSlice(4, 0, 10, 26, false));
        assertThat(FileSlice.plan(INFO, 280, 36).getFirst().range()).isEqualTo("24-49");
    }

    @Test
    void padFilesAreMarkedAndZeroLengthFilesLeftOut() {
        assertThat(FileSlice.plan(INFO, 0, 128)).containsExactly(
                new FileSlice(0, 0, 100, 0, false),
                new FileSlice(1, 0, 28, 100, true));
        assertThat(FileSlice.plan(INFO, 128, 188)).containsExactly(
                new FileSlice(1, 28, 128, 0, true),
                new FileSlice(3, 0, 50, 128, false),
                new FileSlice(4, 0, 10, 178, false));
    }

    @Test
    void aSpanStartingExactlyAtAFileBoundaryBeginsWithThatFile() {
        assertThat(FileSlice.plan(INFO, 256, 50)).containsExactly(new FileSlice(3, 0, 50, 0, false));
        assertThat(FileSlice.plan(INFO, 100, 1)).containsExactly(new FileSlice(1, 0, 1, 0, true));
    }

    @Test
    void theWholeTorrentInOneSpan() {
        assertThat(FileSlice.plan(INFO, 0, 316)).extracting(FileSlice::fileIndex).containsExactly(0, 1, 3, 4);
    }

    @Test
    void spansOutsideTheTorrentAreRefused() {
        assertThatThrownBy(() -> FileSlice.plan(INFO, 300, 17)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileSlice.plan(INFO, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileSlice.plan(INFO, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileSlice.plan(INFO, Long.MAX_VALUE, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
