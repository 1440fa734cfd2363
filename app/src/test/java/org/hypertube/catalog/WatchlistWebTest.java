package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The watchlist without JavaScript (plain form posts) and its guards: CSRF, one's own list only, local returns. */
class WatchlistWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;
    @Autowired
    Catalog catalog;

    MockHttpSession member() throws Exception {
        return signedInMember(mvc, "w");
    }

    String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void aPlainFormAddsAndRemovesAFilmOnOnesOwnListOnly() throws Exception {
        var film = catalog.popular(1).films().get(3);
        String toggle = "/films/" + film.getId() + "/watchlist";
        var ada = member();
        var bob = member();

        mvc.perform(post(toggle).session(ada).param("in", "true").param("back", "/browse?genre=horror"))
                .andExpect(status().isForbidden()); // no CSRF token
        assertThat(page("/watchlist", ada)).doesNotContain("href=\"/films/" + film.getId() + "\"");

        mvc.perform(post(toggle).session(ada).with(csrf()).param("in", "true").param("back", "/browse?genre=horror"))
                .andExpect(redirectedUrl("/browse?genre=horror"));
        mvc.perform(post(toggle).session(ada).with(csrf()).param("in", "true").param("back", "/"))
                .andExpect(redirectedUrl("/")); // twice: still once on the list
        String adas = page("/watchlist", ada);
        assertThat(adas.split("href=\"/films/" + film.getId() + "\"", -1)).hasSize(2);
        assertThat(page("/", ada)).contains("id=\"watchlist-heading\"").contains("Remove " + film.getTitle() + " from your watchlist");
        assertThat(page("/watchlist", bob)).doesNotContain("href=\"/films/" + film.getId() + "\"");

        // Bob's removal touches Bob's list, never Ada's.
        mvc.perform(post(toggle).session(bob).with(csrf()).param("in", "false")).andExpect(redirectedUrl("/"));
        assertThat(page("/watchlist", ada)).contains("href=\"/films/" + film.getId() + "\"");

        // Only paths of this site are places to go back to.
        mvc.perform(post(toggle).session(ada).with(csrf()).param("in", "false").param("back", "//evil.example/x"))
                .andExpect(redirectedUrl("/"));
        assertThat(page("/watchlist", ada)).doesNotContain("href=\"/films/" + film.getId() + "\"");

        mvc.perform(post("/films/987654321/watchlist").session(ada).with(csrf()).param("in", "true"))
                .andExpect(status().isNotFound());
        mvc.perform(get("/watchlist")).andExpect(status().is3xxRedirection()); // signed out: to the sign-in page
    }

    @Test
    void htmxGetsTheSwitchInItsNewState() throws Exception {
        var film = catalog.popular(1).films().get(4);
        var ada = member();
        String answer = mvc.perform(post("/films/" + film.getId() + "/watchlist").session(ada).with(csrf())
                        .header("HX-Request", "true").param("in", "true").param("back", "/browse"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(answer).startsWith("<form").contains("name=\"in\" value=\"false\"").contains("value=\"/browse\"")
                .contains("icon-button on");
    }
}
