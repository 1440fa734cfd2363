package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.Catalog;
import org.hypertube.playback.media.Playable;
import org.hypertube.playback.media.Quality;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The status a stream pushes to a film page: once the film's download is removed (by an administrator, the
 * quota, or the end of a test) while a page's stream is still open, the stream says UNAVAILABLE and starts
 * nothing, where a Play would choose a torrent again. A page already gone used to re-add the film that way.
 */
class StatusStreamWebTest extends AppTestBase {

    private static final Admission ANYTHING = new Admission() {
        @Override
        public void reserve() {
        }

        @Override
        public void release() {
        }
    };

    @Autowired
    Playback playback;
    @Autowired
    Catalog catalog;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Engine engine;
    @Autowired
    Downloads downloads;
    @Autowired
    org.springframework.test.web.servlet.MockMvc mvc;

    /**
     * What a film's status stream ({@code /films/{id}/play/events}) sent the member before it ended; fails when it
     * has not ended within {@code within} (a stream that has nothing more to tell ends at once).
     *
     * @param plays what the page says the browser plays, or null
     */
    static String eventsUntilTheEnd(org.springframework.test.web.servlet.MockMvc mvc,
                                    org.springframework.mock.web.MockHttpSession member, long film, String plays,
                                    java.time.Duration within) throws Exception {
        var request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/films/" + film + "/play/events").session(member);
        if (plays != null) {
            request.param("plays", plays);
        }
        var result = mvc.perform(request)
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.request().asyncStarted())
                .andReturn();
        result.getAsyncResult(within.toMillis());   // set when the server completes the stream, else IllegalStateException
        return result.getResponse().getContentAsString();
    }

    /**
     * Play answered as the first event of the status stream, on the POST's own answer: for a finished film whose
     * headers are known, READY with the address to play comes at once (no second request for a stream) and the
     * stream ends there. The browser says it plays MP4 with H.264 and AAC: direct play.
     */
    @Test
    void playOnAFinishedFilmAnswersReadyWithItsSourceAsTheFirstEventOfItsStream() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        Download d = TestFilms.finishedOnDisk(repository, engine, film, TestFilms.MP4_FASTSTART.file());
        try {
            var member = signedInMember(mvc, "s");
            // Its headers read once (the first Play of a film reads them in the background).
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/films/" + film + "/play")
                            .session(member).with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()))
                    .andReturn().getResponse().getContentAsString().contains("\"phase\":\"READY\"")) {
                assertThat(System.nanoTime()).as("READY within 30 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            var result = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                            .post("/films/" + film + "/play/events").session(member)
                            .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf())
                            .accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM).param("plays", "mp4.avc1 mp4.aac"))
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.request().asyncStarted())
                    .andReturn();
            result.getAsyncResult(20_000);   // the stream ends: nothing more to tell of a finished film
            String events = result.getResponse().getContentAsString();
            assertThat(events).as("events: %s", events).startsWith("event:status\ndata:{\"phase\":\"READY\"")
                    .contains("\"mode\":\"direct\"", "\"src\":\"/films/" + film + "/stream\"");
            assertThat(events.split("event:status", -1)).as("one event: %s", events).hasSize(2);
        } finally {
            downloads.remove(repository.findByInfoHash(d.getInfoHash()).orElseThrow(), "test over");
        }
    }

    /**
     * Without the form's token, Play with its stream is refused like Play, and starts nothing (the same request
     * with the token is answered above, in {@code playOnAFinishedFilm...}).
     */
    @Test
    void playWithItsStreamNeedsTheFormToken() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        var member = signedInMember(mvc, "s");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .post("/films/" + film + "/play/events").session(member).accept(org.springframework.http.MediaType.TEXT_EVENT_STREAM))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isForbidden());
        assertThat(repository.findByFilmIdOrderByAddedAtDesc(film)).as("no download started").isEmpty();
    }

    @Test
    void aStreamOfAFilmWhoseDownloadWasRemovedStartsNoOther() {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        Playback.Status streamed = playback.streamed(filmId, new PlayerPage(1, null), false, ANYTHING, null, Quality.P720, Playable.DEFAULT,
                "en", Locale.ENGLISH);
        assertThat(streamed.phase()).isEqualTo(Playback.Phase.UNAVAILABLE);
        assertThat(repository.findByFilmIdOrderByAddedAtDesc(filmId)).as("no download started").isEmpty();
    }
}
