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

    @Test
    void aStreamOfAFilmWhoseDownloadWasRemovedStartsNoOther() {
        long filmId = TestFilms.unplayedFilm(catalog, repository);
        Playback.Status streamed = playback.streamed(filmId, 1, false, ANYTHING, null, Quality.P720, Playable.DEFAULT,
                "en", Locale.ENGLISH);
        assertThat(streamed.phase()).isEqualTo(Playback.Phase.UNAVAILABLE);
        assertThat(repository.findByFilmIdOrderByAddedAtDesc(filmId)).as("no download started").isEmpty();
    }
}
