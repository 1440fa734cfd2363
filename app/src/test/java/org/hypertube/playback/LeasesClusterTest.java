package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.browser.BrowserSession;
import org.hypertube.cluster.ClusterFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL and one shared media folder ({@link ClusterFixture}): a film one of them
 * downloads plays on the other without a second download, goes on playing in Chromium when its owner is
 * killed (the other takes the download over from the shared folder), and retention runs on one instance
 * at a time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeasesClusterTest {

    /** Short leases, so a takeover comes within seconds. */
    private static final Duration LEASE = Duration.ofSeconds(6);
    /** Retention every 2 s on both instances, each run holding the job's lock for 10 s. */
    private static final Duration RETENTION_LOCK = Duration.ofSeconds(10);
    /**
     * Two aria2 seeders at 150 kB/s each: 1.5 times the film's bitrate, so the film (about 8 MB) takes
     * some 27 s to arrive, plays well before that, and its owner dies mid-download.
     */
    private static final long SEEDER_RATE = 150_000;
    private static final Pattern CHECKED = Pattern.compile("checked '[^']*': (\\d+) of (\\d+) pieces already verified");
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)");

    @RegisterExtension
    static final ClusterFixture CLUSTER = ClusterFixture.builder().instances(2)
            .property("hypertube.leases.lease", LEASE.toSeconds() + "s")
            .property("hypertube.playback.retention-cron", "*/2 * * * * *")
            .property("hypertube.playback.retention-lock", "PT" + RETENTION_LOCK.toSeconds() + "S")
            .build();

    private static BrowserSession browser;

    @BeforeAll
    static void chromium() {
        browser = new BrowserSession();
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A download of the film that one instance runs, and a member's page on the other instance. */
    private record Shared(String hash, long filmId, int owner, int other, Page page, long otherLogAtStart) {}

    /**
     * Adds the swarm's film as an administrator's addition leaves it (its .torrent in the shared folder, its
     * row in the database): whichever instance's upkeep comes first takes its lease and runs it; the member
     * signs up and opens the film on the other one.
     */
    private static Shared downloadedByOne(Swarm swarm) throws Exception {
        String hash = swarm.metainfo.infoHash().hex();
        long[] logAtStart = {Files.size(CLUSTER.log(0)), Files.size(CLUSTER.log(1))};
        Page page = browser.open(1280, 800, "en-US");
        String username = "lease" + Long.toHexString(System.nanoTime());
        register(page, CLUSTER.url(0, ""), username);
        long member = CLUSTER.jdbc().queryForObject("select id from members where username = ?", Long.class, username);
        long filmId = await(Duration.ofSeconds(30), () -> CLUSTER.jdbc().queryForList("select id from films f where not exists "
                + "(select 1 from downloads d where d.film_id = f.id) order by id", Long.class).stream().findFirst().orElse(null));
        Path torrents = Files.createDirectories(CLUSTER.sharedDir().resolve("media").resolve(".torrents"));
        Files.write(torrents.resolve(hash + ".torrent"), swarm.torrentFile);
        CLUSTER.jdbc().update("insert into downloads (info_hash, film_id, name, state, added_by, added_at) "
                + "values (?, ?, ?, 'ACTIVE', ?, ?)", hash, filmId, "test film", member, Timestamp.from(Instant.now()));
        String owner = await(Duration.ofSeconds(30), () -> CLUSTER.jdbc()
                .queryForList("select owner from download_leases where info_hash = ?", String.class, hash)
                .stream().findFirst().orElse(null));
        int x = CLUSTER.name(0).equals(owner) ? 0 : 1;
        page.navigate(CLUSTER.url(1 - x, "/films/" + filmId));
        page.click("#play-button");
        page.waitForFunction("() => document.getElementById('video').currentTime > 0.5", null,
                new Page.WaitForFunctionOptions().setTimeout(90_000));
        for (int i = 0; i < 5; i++) {
            assertThat(swarm.tracker.peers(swarm.metainfo.infoHash())).as("the seeders and one leecher, the owner")
                    .hasSize(3);
            Thread.sleep(200);
        }
        return new Shared(hash, filmId, x, 1 - x, page, logAtStart[1 - x]);
    }

    @Test
    @Order(1)
    void aRemuxedFilmPlaysOnTheOtherInstanceWithoutASecondDownload() throws Exception {
        try (Swarm swarm = Swarm.seed(TestFilms.MKV_H264_AC3.file(), 2, SEEDER_RATE).awaitSeeders(Duration.ofSeconds(60))) {
            Shared shared = downloadedByOne(swarm);
            Page page = shared.page();
            // ffmpeg on the other instance reads the film through its internal listener, from the owner.
            assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("remux");
            page.waitForFunction("() => document.getElementById('video').currentTime > 3", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            assertThat(swarm.tracker.peers(swarm.metainfo.infoHash())).hasSize(3);

            // An administrator (the first account) removes the download on the instance that does not run it:
            // the owner stops its torrent and deletes the files on its next upkeep; nobody writes into deleted files.
            page.navigate(CLUSTER.url(shared.other(), "/admin/downloads"));
            page.click("#download-" + shared.hash() + " form[action$='/remove'] button");
            await(Duration.ofSeconds(30), () -> state(shared.hash()) == null ? true : null);
            assertThat(CLUSTER.sharedDir().resolve("media").resolve(shared.hash())).doesNotExist();
            assertThat(Files.readString(CLUSTER.log(shared.other()))).contains(shared.hash() + " removal (removed by an operator) asked of its owner");
            assertThat(Files.readString(CLUSTER.log(shared.owner())))
                    .contains(shared.hash() + " removed (removed by an operator, asked by another instance)");
            page.context().close();
        }
    }

    /** Last: it kills an instance. */
    @Test
    @Order(3)
    void aFilmPlaysOnTheOtherInstanceWithoutASecondDownloadAndSurvivesItsOwnersDeath() throws Exception {
        try (Swarm swarm = Swarm.seed(TestFilms.MP4_FASTSTART.file(), 2, SEEDER_RATE).awaitSeeders(Duration.ofSeconds(60))) {
            Shared shared = downloadedByOne(swarm);
            String hash = shared.hash();
            Page page = shared.page();
            int x = shared.owner();
            int y = shared.other();
            assertThat(page.getAttribute("#player", "data-mode")).isEqualTo("direct");
            String yLog = Files.readString(CLUSTER.log(y));
            assertThat(yLog.substring((int) Math.min(yLog.length(), shared.otherLogAtStart())))
                    .as("instance %s's engine never had the torrent", CLUSTER.name(y)).doesNotContain(hash + " checked '");
            assertThat(state(hash)).as("still downloading when its owner dies").isEqualTo("ACTIVE");

            double playedAtKill = currentTime(page);
            long killedAt = System.nanoTime();
            CLUSTER.kill9(x);
            await(LEASE.multipliedBy(3), () -> CLUSTER.name(y).equals(CLUSTER.jdbc().queryForList(
                    "select owner from download_leases where info_hash = ?", String.class, hash).stream().findFirst()
                    .orElse(null)) ? true : null);
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            String tookOver = hash + " taken over from " + CLUSTER.name(x);
            // The engine checks the shared folder's files in the background, just after the takeover.
            Matcher checked = await(Duration.ofSeconds(30), () -> {
                String log = Files.readString(CLUSTER.log(y));
                int at = log.indexOf(tookOver);
                Matcher m = CHECKED.matcher(at < 0 ? "" : log.substring(at));
                return m.find() ? m : null;
            });
            assertThat(Integer.parseInt(checked.group(1))).as("pieces the dead owner had verified are kept, not fetched again")
                    .isPositive();
            System.out.printf("takeover after %d ms; %s of %s pieces kept%n", takeover.toMillis(), checked.group(1),
                    checked.group(2));

            page.waitForFunction("t => document.getElementById('video').currentTime > t + 2", playedAtKill,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            double duration = ((Number) page.evaluate("() => document.getElementById('video').duration")).doubleValue();
            double target = 0.7 * duration;
            page.evaluate("t => { document.getElementById('video').currentTime = t; }", target);
            page.waitForFunction("t => { const v = document.getElementById('video'); return !v.seeking && v.currentTime > t + 1; }",
                    target, new Page.WaitForFunctionOptions().setTimeout(90_000));
            page.waitForFunction("() => document.getElementById('video').ended", null,
                    new Page.WaitForFunctionOptions().setTimeout(90_000));
            Map<?, ?> video = (Map<?, ?>) page.evaluate("() => { const v = document.getElementById('video');"
                    + " return { error: v.error ? v.error.code : 0, time: v.currentTime }; }");
            assertThat(video.get("error")).isEqualTo(0);
            assertThat(((Number) video.get("time")).doubleValue()).isCloseTo(duration, org.assertj.core.data.Offset.offset(1.0));
            page.context().close();
        }
    }

    @Test
    @Order(2)
    void retentionRunsOnOneInstanceAtATime() throws Exception {
        byte[] h = new byte[20];
        new Random().nextBytes(h);
        String hash = HexFormat.of().formatHex(h);
        Path file = Files.createDirectories(CLUSTER.sharedDir().resolve("media").resolve(hash)).resolve("old.mp4");
        Files.write(file, new byte[4096]);
        Timestamp longAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(60)));
        CLUSTER.jdbc().update("insert into downloads (info_hash, name, file_index, file_path, file_length, state, added_at, "
                + "completed_at, last_watched_at) values (?, 'Old film', 0, 'old.mp4', 4096, 'COMPLETE', ?, ?, ?)",
                hash, longAgo, longAgo, longAgo);

        await(RETENTION_LOCK.multipliedBy(3), () -> state(hash) == null ? true : null);
        assertThat(file).doesNotExist();
        // Every instance's scheduler fires every 2 s; the job's lock lets one run through per 10 s.
        await(RETENTION_LOCK.multipliedBy(3), () -> runs().size() >= 2 ? true : null);
        List<Instant> runs = runs();
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Duration.between(runs.get(i - 1), runs.get(i))).as("retention runs %s", runs)
                    .isGreaterThanOrEqualTo(RETENTION_LOCK.minusMillis(500));
        }
        long removals = 0;
        for (int i = 0; i < CLUSTER.size(); i++) {
            removals += Files.readAllLines(CLUSTER.log(i)).stream().filter(l -> l.contains(hash + " removed (unwatched")).count();
        }
        assertThat(removals).as("the film was deleted once").isEqualTo(1);
    }

    /** When each retention run started, on any instance, in order. */
    private static List<Instant> runs() throws Exception {
        List<Instant> runs = new ArrayList<>();
        for (int i = 0; i < CLUSTER.size(); i++) {
            for (String line : Files.readAllLines(CLUSTER.log(i))) {
                Matcher m = LOG_TIME.matcher(line);
                if (line.contains("retention ran on this instance") && m.find()) {
                    runs.add(Instant.parse(m.group(1)));
                }
            }
        }
        runs.sort(null);
        return runs;
    }

    private static String state(String hash) {
        return CLUSTER.jdbc().queryForList("select state from downloads where info_hash = ?", String.class, hash)
                .stream().findFirst().orElse(null);
    }

    private static double currentTime(Page page) {
        return ((Number) page.evaluate("() => document.getElementById('video').currentTime")).doubleValue();
    }

    /** Signs up on the instance at {@code base} and signs in; the session is in the database, good on every instance. */
    private static void register(Page page, String base, String username) {
        page.navigate(base + "/register");
        page.fill("#email", username + "@example.org");
        page.fill("#username", username);
        page.fill("#firstName", "Ada");
        page.fill("#lastName", "Lovelace");
        page.fill("#password", "copper-meadow-" + username.substring(5, 9));
        page.click("main button[type=submit]");
        page.waitForURL(base + "/login?registered");
        page.fill("#username", username);
        page.fill("#password", "copper-meadow-" + username.substring(5, 9));
        page.click("main button[type=submit]");
        page.waitForURL(base + "/");
    }

    private static <T> T await(Duration timeout, java.util.concurrent.Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
