package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.Map;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.torrent.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Press Play in Chromium on a film that only a rate-limited swarm of real peers (aria2) has: the video
 * plays with decoded audio before the download is complete, then seeks to 70 % and plays from there.
 * One run per kind of film: MP4 (index first or last) plays directly, MKV with AC-3 is remuxed, HEVC
 * is transcoded.
 */
class PlaybackBrowserTest extends BrowserTestBase {

    /**
     * Two seeders at 250 kB/s each: 2.5 times the films' bitrate (about 200 kB/s), so a film of about 8 MB
     * takes some 16 s to arrive and playing starts well before the end, even on a busy machine.
     */
    private static final long SEEDER_RATE = 250_000;
    /** The scrub's seeders: 2 × 150 kB/s, 1.5 times the film's bitrate. */
    private static final long SCRUB_SEEDER_RATE = 150_000;

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Engine engine;
    @Autowired
    InternalMedia internal;
    @Autowired
    org.hypertube.playback.media.Transcoder transcoder;

    long freeFilm() {
        return TestFilms.unplayedFilm(catalog, repository);
    }

    @ParameterizedTest
    @EnumSource(value = TestFilms.class, mode = EnumSource.Mode.EXCLUDE, names = "LONG_MPEG4")
    void playsWhileDownloadingThenSeeks(TestFilms kind) throws Exception {
        var film = kind.file();
        long filmId = freeFilm();
        try (Swarm swarm = Swarm.seed(film, 2, SEEDER_RATE)) {
            Page page = browser.open(1280, 800, "en-US");
            Person person = Person.fresh();
            register(page, person);
            long member = jdbc.queryForObject("select id from members where username = ?", Long.class, person.username());
            Download d = swarm.addTo(downloads, repository, filmId, member);
            try {
                playThenSeek(kind, page, d);
            } finally {
                page.context().close();
                downloads.remove(d, "test over");   // also when it failed: the next test of the same film adds it afresh
                transcoder.evict(d.getInfoHash());   // the next test of the same film converts it afresh
            }
        }
    }

    /** Play, then a seek to 70 %, in the page of the film the download belongs to. */
    private void playThenSeek(TestFilms kind, Page page, Download d) {
        page.navigate(url("/films/" + d.getFilmId()));
        page.click("#play-button");
        page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        Torrent torrent = downloads.torrent(d).orElseThrow();
        double progressWhenPlaying = torrent.progress();

        String expectedMode = switch (kind) {
            case MP4_FASTSTART, MP4_MOOV_END -> "direct";
            case MKV_H264_AC3, MKV_LONG_GOP -> "remux";
            case MKV_HEVC, LONG_MPEG4 -> "transcode";
        };
        assertThat(page.getAttribute("#player", "data-mode")).isEqualTo(expectedMode);
        page.waitForFunction("() => document.getElementById('video').webkitAudioDecodedByteCount > 0", null,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        assertThat(progressWhenPlaying).as("the download was still going when the film started").isLessThan(1.0);

        double duration = ((Number) page.evaluate("() => document.getElementById('video').duration")).doubleValue();
        assertThat(duration).isCloseTo(TestFilms.SECONDS, org.assertj.core.data.Offset.offset(1.5));
        double target = 0.7 * duration;
        page.evaluate("t => { document.getElementById('video').currentTime = t; }", target);
        page.waitForFunction("t => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > t + 1; }",
                target, new Page.WaitForFunctionOptions().setTimeout(90_000));

        Map<?, ?> state = (Map<?, ?>) page.evaluate("() => { const v = document.getElementById('video');"
                + " return { error: v.error ? v.error.code : 0, paused: v.paused }; }");
        assertThat(state.get("error")).isEqualTo(0);
    }

    /**
     * A converted (transcoded) film that is still downloading from rate-limited seeders: a scrub (five
     * seeks 0.4 s apart, forth and back, the first ones into parts neither downloaded nor converted yet)
     * and then playing on from the last position, with a clean console and no 5xx answer. Seeks make the
     * shared conversion go where the viewer waits; a request a seek left behind is never answered with
     * an error.
     */
    @Test
    void aScrubThroughAConvertedFilmStillDownloadingPlaysOnFromTheLastPosition() throws Exception {
        long filmId = freeFilm();
        // Slower than the other tests' seeders (1.5 times the film's bitrate), so the scrub ends where the
        // film has not arrived yet even when the machine is busy and the scrub starts late.
        try (Swarm swarm = Swarm.seed(TestFilms.MKV_HEVC.file(), 2, SCRUB_SEEDER_RATE)) {
            Page page = browser.open(1280, 800, "en-US");
            java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onResponse(r -> {
                if (r.status() >= 500) {
                    failures.add(r.status() + " " + r.url());
                }
            });
            register(page, Person.fresh());
            Download d = swarm.addTo(downloads, repository, filmId, null);
            transcoder.evict(d.getInfoHash());   // the same film in another test left its segments
            try {
                scrubThenPlayOn(page, d, failures);
            } finally {
                page.context().close();
                downloads.remove(d, "test over");
                transcoder.evict(d.getInfoHash());
            }
        }
    }

    /**
     * Four seeks 0.4 s apart, then a fifth near the end into a part not downloaded yet (checked just
     * before it: the first of 90, 95, 85, 80 % whose piece has not arrived), then playing on from there.
     */
    private void scrubThenPlayOn(Page page, Download d, java.util.List<String> failures) {
        page.navigate(url("/films/" + d.getFilmId()));
        page.click("#play-button");
        page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("transcode");
        Torrent torrent = downloads.torrent(d).orElseThrow();
        assertThat(torrent.progress()).as("the film is still downloading when the scrub starts").isLessThan(0.8);

        double duration = ((Number) page.evaluate("() => document.getElementById('video').duration")).doubleValue();
        for (double position : new double[] {0.3, 0.7, 0.15, 0.55}) {
            page.evaluate("t => { document.getElementById('video').currentTime = t; }", position * duration);
            page.waitForTimeout(400);
        }
        long fileLength = torrent.files().getFirst().length();
        int pieceLength = torrent.info().orElseThrow().pieceLength();
        java.util.BitSet verified = torrent.verifiedPieces();
        double lastPosition = java.util.stream.DoubleStream.of(0.9, 0.95, 0.85, 0.8)
                .filter(p -> !verified.get((int) (p * fileLength / pieceLength))).findFirst().orElse(-1);
        assertThat(lastPosition).as("the last seek goes where the film has not arrived yet (pieces %s of %d)",
                verified, (fileLength + pieceLength - 1) / pieceLength).isPositive();
        double last = lastPosition * duration;
        page.evaluate("t => { document.getElementById('video').currentTime = t; }", last);
        page.waitForFunction("t => { const v = document.getElementById('video'); return !v.seeking && !v.paused"
                + " && v.currentTime > t + 1; }", last, new Page.WaitForFunctionOptions().setTimeout(90_000));
        double at = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
        assertThat(at).as("playing on from the last position").isBetween(last, duration);
        assertThat(page.evaluate("() => { const v = document.getElementById('video'); return v.error ? v.error.code : 0; }"))
                .isEqualTo(0);
        assertThat(failures).as("no 5xx answer during the scrub").isEmpty();
    }

    /**
     * A finished film plays from disk with no torrent involved; its conversion (ffmpeg) stops once the
     * viewer has left (hypertube.media.idle-timeout, 8 s in the tests), well before the end of the film.
     */
    @Test
    void aFinishedFilmPlaysFromDiskAndItsConversionStopsWhenTheViewerLeaves() throws Exception {
        var source = TestFilms.LONG_MPEG4.file();
        long filmId = freeFilm();
        byte[] hash = new byte[20];
        new java.util.Random().nextBytes(hash);
        String hex = java.util.HexFormat.of().formatHex(hash);
        var file = engine.folder(org.hypertube.torrent.InfoHash.parse(hex)).resolve("Long/long.mkv");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.copy(source, file);
        Download d = new Download(hex, filmId, "magnet:?xt=urn:btih:" + hex, "Long", null, java.time.Instant.now());
        d.chooseFile(0, "Long/long.mkv", java.nio.file.Files.size(file));
        d.completed(java.time.Instant.now());
        repository.save(d);

        Page page = browser.open(1280, 800, "en-US");
        Person person = Person.fresh();
        register(page, person);
        page.navigate(url("/films/" + filmId));
        page.click("#play-button");
        page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("transcode");
        assertThat(downloads.torrent(d)).as("no torrent involved").isEmpty();
        String input = internal.url(hex);
        assertThat(ffmpegReading(input)).as("ffmpeg converts while the film plays").isPositive();

        // The quality menu of a transcoded film: 480p is honoured and the film goes on from where it was.
        assertThat(page.isHidden("#quality-menu")).isFalse();
        page.evaluate("() => { document.getElementById('video').currentTime = 60; }");
        page.waitForFunction("() => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > 60.3; }",
                null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        // Paused, Plyr keeps its controls in place under the pointer; the new quality plays from there.
        page.keyboard().press("k");
        page.waitForFunction("() => document.getElementById('video').paused");
        double before = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
        openPlayerMenu(page, "#quality-menu");
        page.click("#quality-menu [role=menuitemradio][data-value=P480]");
        page.waitForFunction("() => document.getElementById('player').dataset.src.includes('-P480/')", null,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
        page.waitForFunction("t => { const v = document.getElementById('video'); return !v.paused && !v.seeking"
                + " && v.currentTime > t + 0.5; }", before, new Page.WaitForFunctionOptions().setTimeout(60_000));
        assertThat(((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue())
                .isBetween(before, before + 10);

        page.context().close();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (ffmpegReading(input) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(ffmpegReading(input)).as("the viewer left: its ffmpeg was stopped").isZero();
        var session = transcoder.find(org.hypertube.playback.media.Transcoder.key(hex,
                new org.hypertube.playback.media.Plan(org.hypertube.playback.media.Delivery.TRANSCODE, 0, 1, 360)))
                .orElseThrow();
        assertThat(session.segmentsKept()).as("stopped, not finished: fewer segments than the film has")
                .isLessThan(session.segmentCount());
        downloads.remove(d, "test over");
    }

    /** ffmpeg processes of this server reading that input. */
    static long ffmpegReading(String input) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> java.util.Arrays.asList(args).contains(input)).orElse(false))
                .count();
    }
}
