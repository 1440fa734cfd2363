package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import net.javacrumbs.shedlock.core.LockProvider;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.playback.media.FfmpegBinaries;
import org.hypertube.playback.media.Transcoder;
import org.hypertube.playback.thumbnails.ThumbnailProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Seek-bar thumbnails of a real finished film, made by the real ffmpeg: what the player gets before and
 * after, who may get it, the disk quota, deletion with the film, a restart, and another instance's lease.
 */
class ThumbnailsWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    Catalog catalog;
    @Autowired
    Retention retention;
    @Autowired
    Playback playback;
    @Autowired
    FilmThumbnails thumbnails;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Downloads downloads;
    @Autowired
    Transcoder transcoder;
    @Autowired
    Leases leases;
    @Autowired
    LockProvider locks;
    @Autowired
    FilmProbes probes;
    @Autowired
    FfmpegBinaries binaries;
    @Autowired
    InternalMedia internal;

    /** A finished download of {@code film} whose file is a real 40-second film, as the engine leaves it on disk. */
    private Download finishedFilm(long film, Instant lastWatched) throws Exception {
        Download d = TestFilms.finishedOnDisk(repository, engine, film, TestFilms.MP4_FASTSTART.file());
        d.watched(lastWatched);
        return repository.save(d);
    }

    private MockHttpSession member() throws Exception {
        String username = uniqueName("t");
        var session = new MockHttpSession();
        String password = "amber-lantern-" + username.substring(1, 5);
        mvc.perform(post("/register").session(session).with(csrf()).param("email", username + "@example.org")
                .param("username", username).param("firstName", "Tom").param("lastName", "Nail")
                .param("password", password)).andExpect(status().is3xxRedirection());
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password))
                .andExpect(redirectedUrl("/"));
        return session;
    }

    /** The film's status once READY, as the player polls it. */
    private String readyStatus(long film, MockHttpSession session) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String json;
        do {
            json = mvc.perform(post("/films/" + film + "/play").session(session).with(csrf()))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            if (json.contains("\"phase\":\"READY\"")) {
                return json;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("never READY: " + json);
    }

    private Path thumbs(Download d) {
        return engine.mediaDir().resolve(".thumbs").resolve(d.getInfoHash());
    }

    private static long bytesUnder(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void thumbnailsOfAFinishedFilmAreServedToMembersCountInTheQuotaAndGoWithTheFilm() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Download d = finishedFilm(film, Instant.parse("1970-01-01T00:00:00Z"));
        try {
            MockHttpSession member = member();
            String vttPath = "/films/" + film + "/thumbnails.vtt";
            mvc.perform(get(vttPath).session(member)).andExpect(status().isNotFound());
            mvc.perform(get("/films/" + film + "/thumbnails/0.jpg").session(member)).andExpect(status().isNotFound());
            // A finished film's thumbnails still to be made: none now, none promised (they show at the next Play).
            assertThat(readyStatus(film, member)).contains("\"thumbnails\":false", "\"thumbnailsGrowing\":false");

            assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.MADE);

            // Signed out: the sign-in page, as for the film itself.
            mvc.perform(get(vttPath)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
            mvc.perform(get("/films/" + film + "/thumbnails/0.jpg")).andExpect(redirectedUrl("/login"));

            var vtt = mvc.perform(get(vttPath).session(member)).andExpect(status().isOk()).andReturn().getResponse();
            assertThat(vtt.getContentType()).startsWith("text/vtt");
            assertThat(vtt.getHeader("Cache-Control")).contains("no-cache");
            // The probe ran for the status above: the last cue ends with the film.
            var sheet = mvc.perform(get("/films/" + film + "/thumbnails/0.jpg").session(member))
                    .andExpect(status().isOk()).andReturn().getResponse();
            // Each sheet's address carries its version (a checksum of its bytes): a film fetched again from another
            // torrent gets new addresses, never yesterday's sheets from the browser's cache.
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(sheet.getContentAsByteArray());
            String sheet0 = "thumbnails/0.jpg?v=" + String.format("%08x", crc.getValue());
            assertThat(vtt.getContentAsString()).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:10.000\n"
                    + sheet0 + "#xywh=0,0,160,90\n").endsWith("00:00:30.000 --> 00:00:40.000\n"
                    + sheet0 + "#xywh=480,0,160,90\n");
            assertThat(sheet.getContentType()).isEqualTo("image/jpeg");
            assertThat(sheet.getHeader("Cache-Control")).contains("max-age=86400");
            assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sheet.getContentAsByteArray()))
                    .getWidth()).isEqualTo(1600);
            String modified = sheet.getHeader("Last-Modified");
            mvc.perform(get("/films/" + film + "/thumbnails/0.jpg").session(member).header("If-Modified-Since", modified))
                    .andExpect(status().isNotModified());
            mvc.perform(get("/films/" + film + "/thumbnails/1.jpg").session(member)).andExpect(status().isNotFound());
            mvc.perform(get("/films/" + film + "/thumbnails/1000.jpg").session(member)).andExpect(status().isNotFound());
            mvc.perform(get("/films/" + film + "/thumbnails/-1.jpg").session(member)).andExpect(status().isNotFound());
            assertThat(readyStatus(film, member)).contains("\"thumbnails\":true", "\"thumbnailsVersion\":\"f0\"",
                    "\"thumbnailsGrowing\":false");

            // Made once: a restarted server (a new worker, nothing in memory) finds them and makes nothing.
            Path index = thumbs(d).resolve("f0").resolve("thumbnails.vtt");
            var before = Files.getLastModifiedTime(index);
            FilmThumbnails restarted = new FilmThumbnails(downloads, transcoder, leases, locks, probes, internal, binaries,
                    new ThumbnailProperties(false, null), Clock.systemUTC(), new SimpleMeterRegistry());
            try {
                assertThat(restarted.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.ALREADY);
            } finally {
                restarted.stop();
            }
            assertThat(Files.getLastModifiedTime(index)).isEqualTo(before);

            // The quota counts them: a limit the films alone are under, but not with these thumbnails, deletes
            // the least recently watched film (this one), and its thumbnails with it.
            long kept = bytesUnder(thumbs(d));
            assertThat(kept).isGreaterThan(5_000);
            assertThat(playback.keptBytes(d.getInfoHash())).isGreaterThanOrEqualTo(kept);
            long taken = repository.findAll().stream().mapToLong(x -> (x.getFileLength() == null ? 0 : x.getFileLength())
                    + playback.keptBytes(x.getInfoHash())).sum();
            assertThat(retention.makeRoom(new DiskQuota(0, taken - kept + 1))).isTrue();
            assertThat(repository.findByInfoHash(d.getInfoHash())).as("the least recently watched film").isEmpty();
            assertThat(thumbs(d)).as("its thumbnails went with it").doesNotExist();
            mvc.perform(get(vttPath).session(member)).andExpect(status().isNotFound());
        } finally {
            repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
        }
    }

    @Test
    void aDownloadThatCompletesGetsItsThumbnailsWithoutAnyoneAsking() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        try (Swarm swarm = Swarm.seed(TestFilms.MP4_FASTSTART.file(), 1, 20_000_000).awaitSeeders(Duration.ofSeconds(60))) {
            Download d = downloads.add(null, swarm.torrentFile, film, null);
            try {
                assertThat(downloads.torrent(d).orElseThrow().awaitCompletion(Duration.ofSeconds(90))).isTrue();
                Path index = thumbs(d).resolve("f0").resolve("thumbnails.vtt");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!Files.exists(index) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(index).as("made once the download completed (the sweep runs every 6 h in tests)").exists();
                assertThat(Files.readString(index)).contains("00:00:30.000 --> ");
            } finally {
                repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
            }
            assertThat(thumbs(d)).doesNotExist();
        }
    }

    @Test
    void theInstanceHoldingTheDownloadsLeaseMakesThem() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Download d = finishedFilm(film, Instant.now());
        try {
            jdbc.update("insert into download_leases (info_hash, owner, address, expires_at) values (?, ?, null, ?)",
                    d.getInfoHash(), "another-instance", java.sql.Timestamp.from(Instant.now().plus(Duration.ofMinutes(5))));
            assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.ELSEWHERE);
            assertThat(thumbs(d).resolve("f0")).doesNotExist();

            jdbc.update("delete from download_leases where info_hash = ?", d.getInfoHash());
            assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.MADE);
            assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.ALREADY);
        } finally {
            jdbc.update("delete from download_leases where info_hash = ?", d.getInfoHash());
            repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
        }
        assertThat(thumbs(d)).doesNotExist();
    }

    /**
     * A forty-minute film whose swarm holds only its first 70 % (about 1680 s): while the rest is missing, the
     * thumbnails of its first 1000 s (one sheet) are made from what is verified on disk and served, the index
     * listing those alone; the second sheet, whose last tiles are past the beginning, is not made.
     */
    @Test
    void whileTheRestOfTheFilmIsMissingTheThumbnailsOfItsBeginningAppear() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Path source = TestFilms.fortyMinutes();
        long beginning = (long) (Files.size(source) * 0.7);
        try (Swarm swarm = Swarm.seedBeginning(source, beginning).awaitSeeders(Duration.ofSeconds(60))) {
            Download d = swarm.addTo(downloads, repository, film, null);
            try {
                beginningArrived(playback, probes, swarm, d, beginning);
                MockHttpSession member = member();
                String vttPath = "/films/" + film + "/thumbnails.vtt";
                mvc.perform(get(vttPath).session(member)).andExpect(status().isNotFound());

                assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.MADE);
                assertThat(thumbnails.attempt(d.getId())).as("nothing more on disk since").isEqualTo(FilmThumbnails.Outcome.NOT_YET);

                String vtt = mvc.perform(get(vttPath).session(member)).andExpect(status().isOk()).andReturn()
                        .getResponse().getContentAsString();
                assertThat(vtt.split("-->")).as("the first sheet's 100 tiles").hasSize(101);
                assertThat(vtt).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nthumbnails/0.jpg?v=")
                        .contains("00:16:30.000 --> 00:16:40.000\nthumbnails/0.jpg?v=").doesNotContain("thumbnails/1.jpg");
                var sheet = mvc.perform(get("/films/" + film + "/thumbnails/0.jpg").session(member))
                        .andExpect(status().isOk()).andReturn().getResponse();
                assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sheet.getContentAsByteArray()))
                        .getHeight()).isEqualTo(900);
                mvc.perform(get("/films/" + film + "/thumbnails/1.jpg").session(member)).andExpect(status().isNotFound());
                assertThat(downloads.torrent(d).orElseThrow().progress()).as("the rest is still missing").isLessThan(0.75);
                assertThat(thumbnails.shown(repository.findById(d.getId()).orElseThrow()))
                        .isEqualTo(new FilmThumbnails.Shown("f0-s1", true));
                assertThat(playback.keptBytes(d.getInfoHash())).as("in the disk quota").isGreaterThanOrEqualTo(
                        bytesUnder(thumbs(d)));
            } finally {
                repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
            }
            assertThat(thumbs(d)).as("deleted with the film").doesNotExist();
        }
    }

    /**
     * A finished film whose thumbnails are still to be made (they wait while any viewer's conversion runs here,
     * which may be the whole film): its page's status stream ends at READY, as for a film without thumbnails, and
     * does not keep asking for the status every few seconds until they are made.
     */
    @Test
    void aFinishedFilmsStatusStreamEndsAtReadyWhileItsThumbnailsAreStillToBeMade() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Download d = finishedFilm(film, Instant.now());
        try {
            MockHttpSession member = member();
            readyStatus(film, member);
            String events = StatusStreamWebTest.eventsUntilTheEnd(mvc, member, film, null, Duration.ofSeconds(20));
            assertThat(events).contains("\"phase\":\"READY\"", "\"thumbnails\":false");
            assertThat(thumbs(d).resolve("f0")).as("still to be made when the stream ended").doesNotExist();
        } finally {
            repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
        }
    }

    /**
     * Waits until the swarm's beginning of the film (its first {@code beginning} bytes, whole pieces) is verified
     * here and its headers are read (what a Play does first: the thumbnails need its duration); nothing after it.
     */
    static void beginningArrived(Playback playback, FilmProbes probes, Swarm swarm, Download d, long beginning)
            throws InterruptedException {
        long piece = swarm.metainfo.info().pieceLength();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        MediaFile file = null;
        while (System.nanoTime() < deadline && (file == null || file.readableFrom(0) < beginning / piece * piece)) {
            Thread.sleep(200);
            file = playback.mediaForHash(d.getInfoHash()).orElse(null);
        }
        assertThat(file).isNotNull();
        assertThat(file.readableFrom(0)).as("the swarm's beginning arrived").isGreaterThanOrEqualTo(beginning / piece * piece);
        assertThat(file.readableFrom(0)).as("and nothing after it").isLessThan(file.length());
        while (probes.probe(file, false).probe() == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /**
     * Thumbnails a removal left behind (the instance deleting the download was down): counted in the disk quota,
     * then deleted by the sweep; those of a film that has a download stay.
     */
    @Test
    void thumbnailsNoDownloadMatchesCountInTheQuotaUntilTheSweepDeletesThem() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Download d = finishedFilm(film, Instant.now());
        Path stray = engine.mediaDir().resolve(".thumbs").resolve("0123456789abcdef0123456789abcdef01234567");
        try {
            assertThat(thumbnails.attempt(d.getId())).isEqualTo(FilmThumbnails.Outcome.MADE);
            Files.createDirectories(stray.resolve("f0"));
            Files.write(stray.resolve("f0").resolve("0.jpg"), new byte[300_000]);
            Files.setLastModifiedTime(stray, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            assertThat(playback.strayBytes(downloads.all())).isGreaterThanOrEqualTo(300_000);

            thumbnails.sweep();
            assertThat(stray).doesNotExist();
            assertThat(playback.strayBytes(downloads.all())).isZero();
            assertThat(thumbs(d).resolve("f0").resolve("thumbnails.vtt")).as("a film's own stay").exists();
        } finally {
            repository.findByInfoHash(d.getInfoHash()).ifPresent(x -> downloads.remove(x, "test over"));
        }
    }
}
