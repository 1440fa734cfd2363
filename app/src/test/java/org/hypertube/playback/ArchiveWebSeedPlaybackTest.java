package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hypertube.browser.BrowserTestBase;
import org.hypertube.system.HypertubeProperties;
import org.hypertube.system.OutsideFetch;
import org.hypertube.torrent.PeerInfo;
import org.hypertube.torrent.Torrent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The app: an Archive film plays through its {@code _archive.torrent} and the Archive's web seeds. A member
 * finds an Internet Archive item ({@link ArchiveStandIn}: a real MP4 on nginx, the fake Archive API pointing
 * at it) by its title, presses Play, and Chromium plays it; the only source of its bytes is the torrent's
 * {@code url-list} (no tracker, no peer). The suite's app allows web seeds on loopback (AppTestBase); with
 * the default setting the engine does not even connect to them.
 */
class ArchiveWebSeedPlaybackTest extends BrowserTestBase {

    @Autowired
    Downloads downloads;
    @Autowired
    DownloadRepository repository;

    @Test
    void anArchiveFilmPlaysThroughItsArchiveTorrentAndTheArchivesWebSeeds() throws Exception {
        try (ArchiveStandIn item = ArchiveStandIn.create(TestFilms.MP4_FASTSTART).stubbedAt(SOURCES)) {
            assertThat(item.metainfo.trackers()).as("the stand-in's torrent names no tracker").isEmpty();
            assertThat(item.metainfo.webSeeds()).hasSize(2);

            Page page = browser.open(1280, 800, "en-US");
            register(page, Person.fresh());
            page.fill("#q", item.title);
            page.press("#q", "Enter");
            page.click(".film-card a:has-text('" + item.title + "')");
            page.waitForURL(Pattern.compile(".*/films/\\d+"));
            long filmId = Long.parseLong(page.url().replaceAll(".*/films/(\\d+).*", "$1"));
            page.click("#play-button");
            page.waitForFunction("() => document.getElementById('video').currentTime > 1", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            double playing = ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
            page.waitForFunction("t => { const v = document.getElementById('video'); return !v.error && v.currentTime > t + 1; }",
                    playing, new Page.WaitForFunctionOptions().setTimeout(30_000));
            assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("direct");

            List<Download> played = repository.findByFilmIdOrderByAddedAtDesc(filmId);
            assertThat(played).singleElement().extracting(Download::getInfoHash)
                    .as("Play used the item's _archive.torrent").isEqualTo(item.metainfo.infoHash().hex());
            Download d = played.getFirst();
            Torrent torrent = downloads.torrent(d).orElseThrow();
            assertThat(torrent.peers()).as("the web seeds are its only peers").isNotEmpty()
                    .extracting(PeerInfo::source).containsOnly("web seed");
            assertThat(torrent.awaitCompletion(Duration.ofSeconds(60))).isTrue();

            // The torrent was fetched through the Archive's redirect; the film came in ranges from the web seeds.
            assertThat(item.nginx.accessLog()).anyMatch(l -> l.contains("\"GET /download/" + item.identifier + "/"
                    + item.identifier + "_archive.torrent HTTP/1.1\" 200 "));
            List<String> filmRequests = item.filmRequests();
            assertThat(filmRequests).isNotEmpty().allMatch(l -> l.matches(".*\" 206 \"bytes=\\d+-\\d+\" \\d+ \".*\""),
                    "answered 206 to a Range request");
            long served = filmRequests.stream().mapToLong(l -> Long.parseLong(l.replaceAll(".* (\\d+) \"[^\"]*\"$", "$1"))).sum();
            assertThat(served).isGreaterThanOrEqualTo(Files.size(item.film));
            Path onDisk = downloads.fileOnDisk(d).orElseThrow();
            assertThat(Files.mismatch(onDisk, item.film)).as("the downloaded film is the item's").isEqualTo(-1);

            page.context().close();
            downloads.remove(d, "test over");
        }
    }

    /**
     * The default setting (HYPERTUBE_ALLOW_LOCAL_ADDRESSES unset): the app's engine drops the stand-in's web
     * seeds, which are on loopback, without a single connection to them.
     */
    @Test
    void byDefaultTheEngineRefusesTheStandInsLoopbackWebSeeds() throws Exception {
        // The defaults but the DHT, which would join the public DHT (tests stay on loopback).
        PlaybackProperties defaults = new PlaybackProperties(0, "127.0.0.1", null, null, null, null, null, null, null,
                null, false, null, null, null, null);
        var outsideDefaults = new org.hypertube.system.OutsideProperties(null, null);
        assertThat(outsideDefaults.allowLocalAddresses()).isFalse();
        Path data = org.hypertube.TestDirs.temporary("hypertube-refused");
        Engine engine = new Engine(new HypertubeProperties(null, data), defaults, new OutsideFetch(outsideDefaults), Clock.systemUTC());
        Logger sessionLog = (Logger) LoggerFactory.getLogger("org.hypertube.torrent"); // the engine, whichever part logs the refusal
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        sessionLog.addAppender(events);
        try (ArchiveStandIn item = ArchiveStandIn.create(TestFilms.MP4_FASTSTART)) {
            String hash = item.metainfo.infoHash().hex();
            Torrent torrent = engine.add(null, Optional.of(item.metainfo));

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (refusals(events, hash) < item.metainfo.webSeeds().size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(refusals(events, hash)).as("both web seeds dropped as local").isEqualTo(2);
            assertThat(torrent.peers()).isEmpty();
            assertThat(torrent.verifiedBytes()).isZero();
            assertThat(item.nginx.accessLog()).as("nobody asked the local server anything").isEmpty();
        } finally {
            sessionLog.detachAppender(events);
            engine.stop();
            try (var paths = Files.walk(data)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long refusals(ListAppender<ILoggingEvent> events, String hash) {
        synchronized (events) {
            return events.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(hash) && m.contains(" dropped: it points at an address that is not allowed")
                            && m.contains("loopback"))
                    .count();
        }
    }
}
