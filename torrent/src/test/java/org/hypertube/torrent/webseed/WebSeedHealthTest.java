package org.hypertube.torrent.webseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.hypertube.torrent.TorrentInfo;
import org.hypertube.torrent.testing.ManualClock;
import org.hypertube.torrent.webseed.TestTorrents.Entry;
import org.hypertube.torrent.webseed.WebSeedException.Kind;
import org.junit.jupiter.api.Test;

class WebSeedHealthTest {
    // film.mp4 [0,1000) meta.xml [1000,1100) pad [1100,1200) notes.txt [1200,1300); pieces of 100.
    private static final TorrentInfo INFO = TestTorrents.multi("item", 100,
            Entry.of("film.mp4", 1000), Entry.of("meta.xml", 100), Entry.pad(100), Entry.of("notes.txt", 100));
    private final ManualClock clock = new ManualClock();
    private final WebSeedHealth health = new WebSeedHealth(INFO, clock);

    private static WebSeedException failure(Kind kind) {
        return new WebSeedException(kind, "test");
    }

    private static WebSeedException status(int status, int file) {
        return WebSeedException.status(status, "x").at(file, "http://h/x");
    }

    private static List<FileSlice> piece(int index) {
        return FileSlice.plan(INFO, index * 100L, 100);
    }

    private static List<FileSlice> span(long offset, int length) {
        return FileSlice.plan(INFO, offset, length);
    }

    @Test
    void failuresBackOffFromFiveSecondsDoublingToFiveMinutesAndASuccessResets() {
        long[] expected = {5, 10, 20, 40, 80, 160, 300, 300, 300};
        for (long seconds : expected) {
            health.failed(failure(Kind.IO));
            assertThat(health.usableNow()).isFalse();
            assertThat(health.nextTry()).isEqualTo(clock.instant().plusSeconds(seconds));
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            assertThat(health.usableNow()).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(health.usableNow()).isTrue();
        }
        health.fetched();
        health.failed(failure(Kind.PROTOCOL));
        assertThat(health.nextTry()).isEqualTo(clock.instant().plusSeconds(5));
        assertThat(health.dropped()).isEmpty();
    }

    @Test
    void tenFailuresInARowDropTheSeed() {
        for (int i = 0; i < 9; i++) {
            health.failed(failure(Kind.IO));
            clock.advance(Duration.ofMinutes(5));
        }
        assertThat(health.dropped()).isEmpty();
        health.failed(failure(Kind.IO));
        assertThat(health.dropped()).hasValueSatisfying(r -> assertThat(r).contains("10 failures in a row"));
        clock.advance(Duration.ofHours(1));
        assertThat(health.usableNow()).isFalse();
    }

    @Test
    void retryAfterIsHonouredAndCappedAtAnHour() {
        health.failed(WebSeedException.retryLater(503, Duration.ofSeconds(2)));
        assertThat(health.nextTry()).isEqualTo(clock.instant().plusSeconds(2));
        health.failed(WebSeedException.retryLater(429, Duration.ofDays(365)));
        assertThat(health.nextTry()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(health.dropped()).isEmpty();
        assertThat(health.fileAvailable(0)).as("a 503 does not drop the file (libtorrent's stall)").isTrue();
    }

    @Test
    void aSeedThatIgnoresRangesOrPointsAtALocalAddressIsDropped() {
        health.failed(failure(Kind.IGNORES_RANGE));
        assertThat(health.dropped()).hasValueSatisfying(r -> assertThat(r).contains("ignores Range"));
        WebSeedHealth other = new WebSeedHealth(INFO, clock);
        other.failed(failure(Kind.NOT_ALLOWED_ADDRESS));
        assertThat(other.dropped()).hasValueSatisfying(r -> assertThat(r).contains("not allowed"));
        assertThat(other.usableNow()).isFalse();
    }

    @Test
    void aMissingFileIsUnavailableFromThisSeedAndTheSeedStaysUsable() {
        health.failed(status(404, 1));
        assertThat(health.fileAvailable(1)).isFalse();
        assertThat(health.unavailableFiles()).containsEntry(1, "missing on the server (HTTP 404)");
        assertThat(health.usableNow()).isTrue();
        assertThat(health.canServe(piece(10))).isFalse();
        assertThat(health.canServe(piece(0))).isTrue();
        health.failed(status(500, 0));
        assertThat(health.fileAvailable(0)).as("a 500 is the server's fault, not the file's").isTrue();
        assertThat(health.usableNow()).isFalse();
    }

    @Test
    void whenEveryFileIsMissingTheSeedIsDropped() {
        health.failed(status(404, 0));
        health.failed(status(410, 1));
        assertThat(health.dropped()).isEmpty();
        health.failed(status(416, 3));
        assertThat(health.dropped()).hasValueSatisfying(r -> assertThat(r).contains("no file is available"));
    }

    @Test
    void piecesOfAFileThatKeepFailingMarkItOutdatedNotTheSeed() {
        health.hashPassed(piece(0));
        health.hashPassed(piece(9));
        health.hashFailed(piece(10));
        assertThat(health.fileAvailable(1)).isTrue();
        health.hashFailed(piece(10));
        assertThat(health.fileAvailable(1)).isFalse();
        assertThat(health.unavailableFiles().get(1)).contains("outdated on the server");
        health.hashFailed(piece(10));
        assertThat(health.dropped()).as("pieces from it passed").isEmpty();
        assertThat(health.fileAvailable(0)).isTrue();
    }

    @Test
    void aPieceAcrossFilesStrikesOnlyTheFilesWithNothingVerified() {
        health.hashPassed(piece(0));
        List<FileSlice> acrossFilmAndMeta = span(950, 100);
        health.hashFailed(acrossFilmAndMeta);
        health.hashFailed(acrossFilmAndMeta);
        assertThat(health.fileAvailable(0)).as("film.mp4 has a verified piece").isTrue();
        assertThat(health.fileAvailable(1)).isFalse();
    }

    @Test
    void aSeedWhoseDataNeverVerifiesIsDroppedAfterThreeBadPieces() {
        health.hashFailed(piece(0));
        health.hashFailed(piece(1));
        assertThat(health.dropped()).isEmpty();
        health.hashFailed(piece(12));
        assertThat(health.dropped()).hasValueSatisfying(r -> assertThat(r).contains("3 pieces").contains("none passed"));
    }
}
