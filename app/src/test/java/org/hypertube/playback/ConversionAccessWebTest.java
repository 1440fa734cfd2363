package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.playback.media.Delivery;
import org.hypertube.playback.media.HlsSession;
import org.hypertube.playback.media.Plan;
import org.hypertube.playback.media.Transcoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Who may start a conversion (review of issue 20, item 6): the converted stream's address serves only the
 * variants the member's own Play handed out (the one it plays and its quality menu's), and one member
 * watches at most {@link MemberConversions#LIMIT} films converted at once. Real films, real ffprobe and ffmpeg.
 */
class ConversionAccessWebTest extends AppTestBase {

    private static final Pattern SRC = Pattern.compile("\"src\":\"([^\"]+)\"");
    /** What a browser that plays no file directly but H.264 and AAC through MediaSource answers: a remux. */
    private static final String REMUXES = "mse.avc1 mse.aac";
    /** A browser that says it plays only VP9 in WebM: every H.264 film is transcoded for it. */
    private static final String TRANSCODES = "webm.vp9";

    @Autowired
    MockMvc mvc;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Transcoder transcoder;
    @Autowired
    Downloads downloads;
    @Autowired
    MemberConversionsClock conversionsClock;

    private final List<Download> made = new ArrayList<>();

    @AfterEach
    void evictConversions() {
        made.forEach(d -> transcoder.evict(d.getInfoHash()));
    }

    @Test
    void aMemberHandedADirectPlayCannotStartATranscodeByItsAddress() throws Exception {
        long film = finishedFilm();
        MockHttpSession alice = member();
        String status = ready(alice, film, null, null);
        assertThat(status).contains("\"mode\":\"direct\"");

        for (String variant : List.of("a1-P720", "a1-ORIGINAL", "a1-COPY")) {
            assertThat(hls(alice, film, variant)).as(variant).isEqualTo(404);
        }
        assertThat(transcoder.find(Transcoder.key(made.getFirst().getInfoHash(),
                new org.hypertube.playback.media.Plan(org.hypertube.playback.media.Delivery.TRANSCODE, 0, 1, 360))))
                .as("no conversion was opened").isEmpty();
    }

    @Test
    void theQualityMenusVariantsPlayButOnlyForTheMemberWhoWasHandedThem() throws Exception {
        long film = finishedFilm();
        MockHttpSession alice = member();
        MockHttpSession bob = member();
        String src = src(ready(alice, film, null, TRANSCODES));
        assertThat(src).isEqualTo("/films/" + film + "/hls/a1-P720/index.m3u8");
        assertThat(hls(alice, film, "a1-P720")).isEqualTo(200);
        // The quality menu offers every quality of a transcode: each plays, before and after Play asks for it.
        assertThat(hls(alice, film, "a1-P480")).isEqualTo(200);
        assertThat(src(ready(alice, film, "P1080", TRANSCODES))).endsWith("/hls/a1-P1080/index.m3u8");
        assertThat(hls(alice, film, "a1-P1080")).isEqualTo(200);
        assertThat(hls(alice, film, "a1-ORIGINAL")).isEqualTo(200);
        assertThat(hls(alice, film, "a1-COPY")).as("a remux nobody offered").isEqualTo(404);

        // Bob never pressed Play: Alice's addresses serve him nothing.
        assertThat(hls(bob, film, "a1-P720")).isEqualTo(404);
        assertThat(mvc.perform(get("/films/" + film + "/hls/a1-P720/seg0.m4s").session(bob))
                .andReturn().getResponse().getStatus()).isEqualTo(404);

        // A later status adds to what was handed and takes nothing back: her other tab or device (or the page's
        // status stream from before an audio switch) may still be playing the transcode it was handed.
        assertThat(ready(alice, film, null, null)).contains("\"mode\":\"direct\"");
        assertThat(hls(alice, film, "a1-P720")).isEqualTo(200);
        assertThat(hls(alice, film, "a1-COPY")).as("still offered to nobody").isEqualTo(404);
    }

    @Test
    void aMemberWatchesAtMostTwoFilmsConvertedAtOnce() throws Exception {
        long first = finishedFilm();
        long second = finishedFilm();
        long third = finishedFilm();
        MockHttpSession alice = member();
        MockHttpSession bob = member();
        playsRemuxed(alice, first);
        playsRemuxed(alice, second);
        // Both still playing: their pages keep asking (a film left idle would give its place, MemberConversionsTest).
        assertThat(hls(alice, first, "a1-COPY")).isEqualTo(200);
        assertThat(hls(alice, second, "a1-COPY")).isEqualTo(200);
        String busy = settled(alice, third, null, REMUXES);
        assertThat(busy).contains("\"phase\":\"BUSY\"").doesNotContain("/hls/");
        // The page stops at BUSY, and so does its status stream on the server (it would go on asking, and start the
        // conversion for a page gone once a place is free).
        assertThat(StatusStreamWebTest.eventsUntilTheEnd(mvc, alice, third, REMUXES, Duration.ofSeconds(20)))
                .contains("\"phase\":\"BUSY\"").doesNotContain("/hls/");
        assertThat(hls(alice, third, "a1-COPY")).isEqualTo(404);
        // The films she watches still play, and other members are not limited by her.
        assertThat(hls(alice, first, "a1-COPY")).isEqualTo(200);
        assertThat(src(ready(bob, third, null, REMUXES))).endsWith("/hls/a1-COPY/index.m3u8");
        assertThat(hls(bob, third, "a1-COPY")).isEqualTo(200);
    }

    /**
     * A paused page does not keep its film counted: its status stream still says READY every few seconds, but the
     * player asks the converted stream for nothing, so after {@link MemberConversions#IDLE} the film gives its place.
     * Played again while two others play, it answers 429 (too many, said so), neither 404 nor 500.
     */
    @Test
    void aPausedPagesFilmGivesItsPlaceAndPlayedAgainBeyondTheLimitAnswers429() throws Exception {
        long paused = finishedFilm();
        long first = finishedFilm();
        long second = finishedFilm();
        MockHttpSession alice = member();
        playsRemuxed(alice, paused);
        for (Duration idle = Duration.ZERO; idle.compareTo(MemberConversions.IDLE) <= 0; idle = idle.plusSeconds(1)) {
            ready(alice, paused, null, REMUXES);   // what her paused page's status stream computes, every second
            conversionsClock.advance(Duration.ofSeconds(1));
        }
        playsRemuxed(alice, first);
        playsRemuxed(alice, second);   // the paused film gave its place
        var refused = mvc.perform(get("/films/" + paused + "/hls/a1-COPY/index.m3u8").session(alice)).andReturn()
                .getResponse();
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getContentAsString()).isEqualTo("too many films converted at once");
        assertThat(hls(alice, first, "a1-COPY")).as("the films she watches still play").isEqualTo(200);
    }

    /**
     * One member on two devices (two pages) of one film still arriving from the swarm, each page on its own audio
     * track (two remuxes): neither page's requests stop the other's ffmpeg (review 1200 item 3: both were the
     * member's one viewer, so each request was a "switch" that stopped the other device's). A switch on one page
     * still stops that page's old ffmpeg.
     */
    @Test
    void twoPagesOfOneMemberOnTwoAudioTracksKeepTheirOwnFfmpegs() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        MockHttpSession alice = member();
        // 40 s of H.264 with AAC (stream 1) and AC-3 (stream 2): about 8 MB, arriving over some 20 s.
        try (Swarm swarm = Swarm.seed(SubtitledFilm.make().resolve("film.mkv"), 2, 200_000)
                .awaitSeeders(Duration.ofSeconds(60))) {
            Download d = swarm.addTo(downloads, repository, film, null);
            transcoder.evict(d.getInfoHash());
            try {
                String tv = src(ready(alice, film, null, null, REMUXES, "tv"));
                String phone = src(ready(alice, film, 2, null, REMUXES, "phone"));
                assertThat(tv).endsWith("/hls/a1-COPY/index.m3u8");
                assertThat(phone).endsWith("/hls/a2-COPY/index.m3u8");
                String tvBase = tv.substring(0, tv.lastIndexOf('/') + 1);
                String phoneBase = phone.substring(0, phone.lastIndexOf('/') + 1);

                String playlist = fetch(alice, tv + "?p=tv").getContentAsString();
                assertThat(playlist).as("the page's id goes on to the init and the segments")
                        .contains("URI=\"init.mp4?p=tv\"").contains("\nseg0.m4s?p=tv\n");
                assertThat(answer(alice, tvBase + "init.mp4?p=tv")).isEqualTo(200);
                assertThat(answer(alice, tvBase + "seg0.m4s?p=tv")).isEqualTo(200);
                assertThat(answer(alice, phone + "?p=phone")).isEqualTo(200);
                assertThat(answer(alice, phoneBase + "init.mp4?p=phone")).isEqualTo(200);
                assertThat(answer(alice, phoneBase + "seg0.m4s?p=phone")).isEqualTo(200);
                for (int k = 1; k <= 3; k++) {   // the first keyframe gap, made in parts by a first ffmpeg run each
                    assertThat(answer(alice, tvBase + "seg" + k + ".m4s?p=tv")).isEqualTo(200);
                    assertThat(answer(alice, phoneBase + "seg" + k + ".m4s?p=phone")).isEqualTo(200);
                }
                HlsSession tvConversion = conversion(d, 1);
                HlsSession phoneConversion = conversion(d, 2);
                assertThat(tvConversion.process()).as("the TV's ffmpeg, not stopped by the phone's requests").isPresent();
                assertThat(phoneConversion.process()).as("the phone's, not stopped by the TV's").isPresent();
                int tvStarts = tvConversion.ffmpegStarts();
                int phoneStarts = phoneConversion.ffmpegStarts();
                long tvFfmpeg = tvConversion.process().orElseThrow().pid();
                long phoneFfmpeg = phoneConversion.process().orElseThrow().pid();
                for (int k = 4; k <= 6; k++) {
                    assertThat(answer(alice, tvBase + "seg" + k + ".m4s?p=tv")).isEqualTo(200);
                    assertThat(answer(alice, phoneBase + "seg" + k + ".m4s?p=phone")).isEqualTo(200);
                }
                assertThat(tvConversion.ffmpegStarts()).as("the TV's ffmpeg was never stopped by the phone").isEqualTo(tvStarts);
                assertThat(phoneConversion.ffmpegStarts()).as("nor the phone's by the TV").isEqualTo(phoneStarts);
                assertThat(tvConversion.process().orElseThrow().pid()).isEqualTo(tvFfmpeg);
                assertThat(phoneConversion.process().orElseThrow().pid()).isEqualTo(phoneFfmpeg);

                // The phone switches to the TV's track: its own old ffmpeg stops at once, the TV's goes on.
                assertThat(answer(alice, tv + "?p=phone")).isEqualTo(200);
                long stopped = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (phoneConversion.converting() && System.nanoTime() < stopped) {
                    Thread.sleep(50);
                }
                assertThat(phoneConversion.converting()).as("the phone's old ffmpeg").isFalse();
                assertThat(answer(alice, tvBase + "seg7.m4s?p=tv")).isEqualTo(200);
                assertThat(tvConversion.ffmpegStarts()).isEqualTo(tvStarts);
            } finally {
                downloads.find(d.getId()).ifPresent(left -> downloads.remove(left, "test over"));
                transcoder.evict(d.getInfoHash());
            }
        }
    }

    @Test
    void aMalformedPageIdIsRefused() throws Exception {
        long film = finishedFilm();
        MockHttpSession alice = member();
        String src = src(ready(alice, film, null, REMUXES));
        assertThat(answer(alice, src + "?p=" + "x".repeat(65))).isEqualTo(400);
        assertThat(answer(alice, src + "?p=a%2Fb")).isEqualTo(400);
        assertThat(answer(alice, src + "?p=" + "x".repeat(64))).isEqualTo(200);
    }

    /** The remux of the film's audio stream {@code audio}, opened by the page's requests. */
    private HlsSession conversion(Download d, int audio) {
        return transcoder.find(Transcoder.key(d.getInfoHash(), new Plan(Delivery.REMUX, 0, audio, 0))).orElseThrow();
    }

    private org.springframework.mock.web.MockHttpServletResponse fetch(MockHttpSession member, String address) throws Exception {
        return mvc.perform(get(address).session(member)).andReturn().getResponse();
    }

    private int answer(MockHttpSession member, String address) throws Exception {
        return fetch(member, address).getStatus();
    }

    /** The member's Play of the film is READY with the remux, and its playlist plays. */
    private void playsRemuxed(MockHttpSession member, long film) throws Exception {
        assertThat(src(ready(member, film, null, REMUXES))).endsWith("/hls/a1-COPY/index.m3u8");
        assertThat(hls(member, film, "a1-COPY")).isEqualTo(200);
    }

    private int hls(MockHttpSession member, long film, String variant) throws Exception {
        return mvc.perform(get("/films/" + film + "/hls/" + variant + "/index.m3u8").session(member))
                .andReturn().getResponse().getStatus();
    }

    private static String src(String status) {
        Matcher m = SRC.matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return m.group(1);
    }

    private String play(MockHttpSession member, long film, Integer audio, String quality, String plays, String page)
            throws Exception {
        var request = post("/films/" + film + "/play").session(member).with(csrf());
        if (page != null) {
            request.param("p", page);   // the page's id, sent with Play as the player does
        }
        if (audio != null) {
            request.param("audio", audio.toString());
        }
        if (quality != null) {
            request.param("quality", quality);
        }
        if (plays != null) {
            request.param("plays", plays);
        }
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The film's status once READY, as the player polls it. */
    private String ready(MockHttpSession member, long film, String quality, String plays) throws Exception {
        return ready(member, film, null, quality, plays);
    }

    private String ready(MockHttpSession member, long film, Integer audio, String quality, String plays) throws Exception {
        return ready(member, film, audio, quality, plays, null);
    }

    private String ready(MockHttpSession member, long film, Integer audio, String quality, String plays, String page)
            throws Exception {
        String json = settled(member, film, audio, quality, plays, page);
        assertThat(json).contains("\"phase\":\"READY\"");
        return json;
    }

    /** The film's status once its file is read (READY, or BUSY when the member is at the limit). */
    private String settled(MockHttpSession member, long film, String quality, String plays) throws Exception {
        return settled(member, film, null, quality, plays);
    }

    private String settled(MockHttpSession member, long film, Integer audio, String quality, String plays) throws Exception {
        return settled(member, film, audio, quality, plays, null);
    }

    private String settled(MockHttpSession member, long film, Integer audio, String quality, String plays, String page)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String json;
        do {
            json = play(member, film, audio, quality, plays, page);
            if (json.contains("\"phase\":\"READY\"") || json.contains("\"phase\":\"BUSY\"")) {
                return json;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("never READY: " + json);
    }

    /** A film of the library with a finished download whose file is a real 40-second H.264 + AAC film. */
    private long finishedFilm() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        made.add(TestFilms.finishedOnDisk(repository, engine, film, TestFilms.MP4_FASTSTART.file()));
        return film;
    }

    private MockHttpSession member() throws Exception {
        String username = uniqueName("c");
        var session = new MockHttpSession();
        String password = "amber-lantern-" + username.substring(1, 5);
        mvc.perform(post("/register").session(session).with(csrf()).param("email", username + "@example.org")
                .param("username", username).param("firstName", "Cy").param("lastName", "Vert")
                .param("password", password)).andExpect(status().is3xxRedirection());
        jdbc.update("update members set admin = false where username = ?", username);
        session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password))
                .andExpect(redirectedUrl("/"));
        return session;
    }
}
