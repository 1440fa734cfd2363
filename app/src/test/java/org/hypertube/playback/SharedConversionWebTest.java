package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.hypertube.WebSession;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Shared conversions over real HTTP, observed as an operator would: {@code /actuator/prometheus} (the
 * counter of ffmpeg processes started, and the gauges of those running and queued). Members watching one HEVC film (still arriving from rate-limited
 * aria2 seeders) share one ffmpeg; a seek back into made segments starts none; a later viewer gets the
 * made segments with no ffmpeg at all.
 */
class SharedConversionWebTest extends AppTestBase {

    private static final Pattern SRC = Pattern.compile("\"src\":\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Catalog catalog;
    @Autowired
    InternalMedia internal;
    @Autowired
    org.hypertube.playback.media.Transcoder transcoder;

    @Test
    void membersWatchingOneHevcFilmShareOneFfmpegAndItsSegments() throws Exception {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (WebSession alice = PlayAdmissionWebTest.signedIn(port, jdbc, false);
             WebSession bob = PlayAdmissionWebTest.signedIn(port, jdbc, false);
             Swarm swarm = Swarm.seed(TestFilms.MKV_HEVC.file(), 2, 250_000).awaitSeeders(Duration.ofSeconds(60))) {
            Download d = swarm.addTo(downloads, repository, filmId, null);
            transcoder.evict(d.getInfoHash());   // the same film in another test left its segments
            try {
                shareOneFfmpeg(alice, bob, filmId, d, threads);
            } finally {
                downloads.find(d.getId()).ifPresent(left -> downloads.remove(left, "test over"));
                transcoder.evict(d.getInfoHash());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private void shareOneFfmpeg(WebSession alice, WebSession bob, long filmId, Download d, ExecutorService threads)
            throws Exception {
        // Conversions of earlier tests have stopped (idle), so the one transcode slot is free.
        long idle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (transcoder.load().running() + transcoder.load().queued() > 0 && System.nanoTime() < idle) {
            Thread.sleep(100);
        }
        // Counted from Play on: the conversion's ffmpeg starts as soon as Play answers READY.
        Ffmpegs ffmpegs = new Ffmpegs(threads);
        String src;
        String base;
        int segments;
        try {
            src = ready(alice, filmId);
            assertThat(ready(bob, filmId)).as("one variant for both").isEqualTo(src);
            assertThat(src).contains("/hls/");
            base = src.substring(0, src.lastIndexOf('/') + 1);
            segments = (int) alice.get(src).body().lines().filter(l -> l.startsWith("seg")).count();
            assertThat(segments).isGreaterThan(12);

            // Both start at once, and watch on together.
            List<Future<List<Integer>>> watching = new ArrayList<>();
            for (WebSession member : List.of(alice, bob)) {
                watching.add(threads.submit(() -> statuses(member, base, "init.mp4", "seg0.m4s", "seg1.m4s", "seg2.m4s")));
            }
            for (Future<List<Integer>> w : watching) {
                assertThat(w.get()).containsOnly(200);
            }
            assertThat(ffmpegs.started()).as("one ffmpeg for both members").isEqualTo(1);
            assertThat(ffmpegs.mostQueued.get()).as("nobody waited in line for a conversion slot").isZero();
            assertThat(ffmpegs.mostRunning.get()).isEqualTo(1);

            // Alice seeks ahead (ffmpeg moves there), then back into made segments: no ffmpeg for that.
            assertThat(statuses(alice, base, "seg" + (segments - 4) + ".m4s")).containsOnly(200);
            long beforeSeekBack = ffmpegs.started();
            assertThat(statuses(alice, base, "seg1.m4s", "seg2.m4s")).containsOnly(200);
            assertThat(ffmpegs.started()).as("a seek back into made segments starts no ffmpeg").isEqualTo(beforeSeekBack);
        } finally {
            ffmpegs.stop();
        }

        // Once its ffmpeg is done (the film converted, or idle), a third member gets what was made at once.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (PlaybackBrowserTest.ffmpegReading(internal.url(d.getInfoHash())) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        try (WebSession carol = PlayAdmissionWebTest.signedIn(port, jdbc, false)) {
            Ffmpegs later = new Ffmpegs(threads);   // from Play on
            try {
                assertThat(ready(carol, filmId)).isEqualTo(src);
                assertThat(statuses(carol, base, "init.mp4", "seg0.m4s", "seg1.m4s", "seg2.m4s",
                        "seg" + (segments - 4) + ".m4s")).containsOnly(200);
            } finally {
                later.stop();
            }
            assertThat(later.started()).as("made segments are served without any ffmpeg").isZero();
            assertThat(later.mostRunning.get()).isZero();
        }
    }

    /** Presses Play until the film is ready; returns the address the player would load. */
    private static String ready(WebSession member, long filmId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = PlayAdmissionWebTest.play(member, filmId).body();
            Matcher m = SRC.matcher(body);
            if (body.contains("\"phase\":\"READY\"") && m.find()) {
                return m.group(1);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("film " + filmId + " not ready within 90 s; Play last answered " + body);
    }

    private static List<Integer> statuses(WebSession member, String base, String... names) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (String name : names) {
            HttpResponse<String> response = member.get(base + name);
            statuses.add(response.statusCode());
        }
        return statuses;
    }

    private String scrape(WebSession scraper) throws Exception {
        return scraper.get("/actuator/prometheus", "Authorization", "Bearer " + METRICS_TOKEN).body();
    }

    /**
     * Counts the ffmpeg processes started (the counter: none is missed however short it runs), and
     * samples the running and queued gauges every 25 ms.
     */
    private final class Ffmpegs {
        private static final String STARTED = "hypertube_conversions_started_total";
        private final double startedBefore;
        final AtomicInteger mostRunning = new AtomicInteger();
        final AtomicInteger mostQueued = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Future<?> watcher;

        Ffmpegs(ExecutorService threads) throws Exception {
            try (WebSession scraper = new WebSession("http://127.0.0.1:" + port, null)) {
                startedBefore = OperatorViewTest.value(scrape(scraper), STARTED);
            }
            watcher = threads.submit(() -> {
                try (WebSession scraper = new WebSession("http://127.0.0.1:" + port, null)) {
                    while (!stop.get()) {
                        String scrape = scrape(scraper);
                        mostRunning.accumulateAndGet((int) OperatorViewTest.value(scrape,
                                "hypertube_conversions{state=\"running\"}"), Math::max);
                        mostQueued.accumulateAndGet((int) OperatorViewTest.value(scrape,
                                "hypertube_conversions{state=\"queued\"}"), Math::max);
                        Thread.sleep(25);
                    }
                }
                return null;
            });
        }

        /** ffmpeg processes started since this watch began. */
        long started() throws Exception {
            try (WebSession scraper = new WebSession("http://127.0.0.1:" + port, null)) {
                return Math.round(OperatorViewTest.value(scrape(scraper), STARTED) - startedBefore);
            }
        }

        void stop() throws Exception {
            stop.set(true);
            watcher.get();
        }
    }
}
