package org.hypertube.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.hypertube.catalog.source.SourceFilm;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The film cards are rendered once and served to every member with the same view of a film
 * ({@link FilmCards}): each member still gets their own CSRF token, watchlist state and language, titles included.
 */
class FilmCardsWebTest extends AppTestBase {

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    Catalog catalog;

    @Test
    void twoMembersOnTheGridGetTheirOwnTokenAndTheirOwnWatchlist() throws Exception {
        var ada = signedInMember(mvc, "c");
        var bob = signedInMember(mvc, "c");
        String adaFirst = page("/browse", ada);
        long film = firstFilm(adaFirst);
        // Ada lists the film with her card's form, as a browser without JavaScript would post it.
        mvc.perform(post("/films/" + film + "/watchlist").session(ada).param("_csrf", cardToken(adaFirst, film))
                .param("in", "true").param("back", "/browse")).andExpect(redirectedUrl("/browse"));

        String adas = page("/browse", ada);
        String bobs = page("/browse", bob); // the same films, after Ada's view of them
        assertThat(tokens(adas)).as("every form of Ada's page carries her page's token").containsExactly(metaToken(adas));
        assertThat(tokens(bobs)).as("every form of Bob's page carries his page's token").containsExactly(metaToken(bobs));
        assertThat(metaToken(bobs)).isNotEqualTo(metaToken(adas));
        assertThat(toggle(adas, film)).contains("name=\"in\" value=\"false\"").contains("✓");
        assertThat(toggle(bobs, film)).contains("name=\"in\" value=\"true\"").doesNotContain("✓");

        // Bob's card form works in Bob's session (it would be refused with another session's token).
        mvc.perform(post("/films/" + film + "/watchlist").session(bob).param("_csrf", cardToken(bobs, film))
                .param("in", "true").param("back", "/browse")).andExpect(redirectedUrl("/browse"));
        String bobsAfter = page("/browse", bob);
        assertThat(toggle(bobsAfter, film)).contains("name=\"in\" value=\"false\"");
        assertThat(tokens(bobsAfter)).containsExactly(metaToken(bobsAfter));
        // ... and the card's no-JS form on the home rows carries the right token too.
        String home = page("/", bob);
        mvc.perform(post("/films/" + film + "/watchlist").session(bob).param("_csrf", cardToken(home, film))
                .param("in", "false").param("back", "/")).andExpect(redirectedUrl("/"));
        assertThat(toggle(page("/browse", bob), film)).contains("name=\"in\" value=\"true\"");
        assertThat(toggle(page("/browse", ada), film)).contains("name=\"in\" value=\"false\"");
    }

    @Test
    void aFrenchMemberAfterAnEnglishOneGetsTheCardsInFrench() throws Exception {
        String english = page("/browse", signedInMember(mvc, "c"));
        assertThat(english).contains("Poster of ").contains("Add ").doesNotContain("Affiche de ");
        String french = page("/browse", frenchMember());
        assertThat(french).contains("Affiche de ").contains("Ajouter ").doesNotContain("Poster of ");
        // and back: the English cards were not replaced by the French ones
        assertThat(page("/browse", signedInMember(mvc, "c"))).contains("Poster of ").doesNotContain("Affiche de ");
    }

    @Test
    void aFilmFirstSeenInFrenchKeepsItsEnglishTitleOnTheEnglishGenreRows() throws Exception {
        var englishReader = signedInMember(mvc, "c");
        var frenchReader = frenchMember();
        page("/", englishReader);
        page("/", frenchReader); // the genre rows as they were, kept
        String imdb = "tt" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        String englishTitle = "Lantern " + uniqueName("t");
        String frenchTitle = "Lanterne " + uniqueName("t");
        LocaleContextHolder.setLocale(Locale.FRENCH);
        try {
            // A French reader's page: TMDB answers in French, YTS in English as always.
            catalog.keep(FilmMerge.Merged.of(List.of(
                    film("tmdb", imdb, frenchTitle), film("yts", imdb, englishTitle))));
        } finally {
            LocaleContextHolder.resetLocaleContext();
        }
        String englishHome = page("/", englishReader);
        assertThat(section(englishHome, "genre-comedy-row", "</section>")).contains(englishTitle).doesNotContain(frenchTitle);
        assertThat(section(page("/", frenchReader), "genre-comedy-row", "</section>")).contains(frenchTitle).doesNotContain(englishTitle);
    }

    /**
     * A film only TMDB describes, made in English, first listed by a French reader: TMDB answers with its French
     * title, and says in {@code original_title} / {@code original_language} which title is the English one.
     */
    @Test
    void anEnglishFilmFirstListedInFrenchByTmdbAloneKeepsItsEnglishTitle() throws Exception {
        String word = "zq" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        String englishTitle = "Lighthouse " + word;
        String frenchTitle = "Le Phare " + word;
        int tmdbId = 800_000_000 + ThreadLocalRandom.current().nextInt(100_000_000);
        // TMDB's search answers in the asked language; YTS, the Archive, OMDb and Torznab know no such film.
        for (String language : new String[] {"fr.*", "en.*"}) {
            SOURCES.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/tmdb/3/search/movie"))
                    .atPriority(1)
                    .withQueryParam("query", equalTo(word))
                    .withQueryParam("language", matching(language))
                    .willReturn(okJson("""
                            {"page":1,"total_pages":1,"total_results":1,"results":[{"adult":false,"id":%d,
                            "original_language":"en","original_title":"%s","title":"%s","overview":"",
                            "release_date":"1999-01-01","genre_ids":[18],"popularity":1.5,"vote_average":6.5,
                            "vote_count":100,"video":false}]}
                            """.formatted(tmdbId, englishTitle, language.startsWith("fr") ? frenchTitle : englishTitle))));
        }
        var frenchReader = frenchMember();
        String listed = page("/browse?q=" + word, frenchReader);
        assertThat(listed).contains(frenchTitle);
        long film = firstFilm(listed);

        var englishReader = signedInMember(mvc, "c");
        // The watchlist is read from the database: no source is asked again.
        watch(englishReader, film);
        assertThat(page("/watchlist", englishReader)).contains(englishTitle).doesNotContain(frenchTitle);
        watch(frenchReader, film);
        assertThat(page("/watchlist", frenchReader)).contains(frenchTitle);
    }

    private void watch(MockHttpSession session, long film) throws Exception {
        mvc.perform(post("/films/" + film + "/watchlist").session(session).with(csrf()).param("in", "true"))
                .andExpect(status().is3xxRedirection());
    }

    @Test
    void theSharedFilterFormShowsEachAddressItsOwnChoicesInTheReadersLanguage() throws Exception {
        var member = signedInMember(mvc, "c");
        String plain = page("/browse", member);
        String horror = page("/browse?genre=horror&yearFrom=1990&sort=rating", member);
        assertThat(section(plain, "filters", "</form>")).doesNotContain("value=\"horror\" selected").doesNotContain("value=\"1990\"");
        assertThat(section(horror, "filters", "</form>")).contains("<option value=\"horror\" selected=\"selected\">")
                .contains("value=\"1990\"").contains("selected=\"selected\">Rating</option>");
        String search = page("/browse?q=lantern", member);
        assertThat(section(search, "filters", "</form>")).contains("name=\"q\" value=\"lantern\"");
        assertThat(section(page("/browse?genre=horror&yearFrom=1990&sort=rating", frenchMember()), "filters", "</form>"))
                .contains("Horreur").contains("value=\"1990\"").doesNotContain(">Horror<");
    }

    private static SourceFilm film(String source, String imdb, String title) {
        return new SourceFilm(source, imdb, imdb, title, 2001, 10.0, 90, List.of("Comedy"), null, null, null, null,
                null, null, null, null);
    }

    private MockHttpSession frenchMember() throws Exception {
        var session = signedInMember(mvc, "c");
        mvc.perform(post("/language").session(session).with(csrf()).param("lang", "fr").param("redirect", "/"))
                .andExpect(status().is3xxRedirection());
        return session;
    }

    private String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private static long firstFilm(String html) {
        Matcher m = Pattern.compile("<li class=\"film-card\">\\s*<a href=\"/films/(\\d+)\"").matcher(html);
        assertThat(m.find()).as("a film card").isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The watchlist form of this film's (first) card. */
    private static String toggle(String html, long film) {
        int start = html.indexOf("action=\"/films/" + film + "/watchlist\"");
        assertThat(start).as("the card of film %d", film).isNotNegative();
        return html.substring(start, html.indexOf("</form>", start));
    }

    private static String cardToken(String html, long film) {
        Matcher m = TOKEN.matcher(toggle(html, film));
        assertThat(m.find()).as("a CSRF field in the card's form").isTrue();
        return m.group(1);
    }

    /** Every distinct CSRF token in the page's forms. */
    private static Set<String> tokens(String html) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String metaToken(String html) {
        Matcher m = META_TOKEN.matcher(html);
        assertThat(m.find()).as("the page's CSRF meta").isTrue();
        return m.group(1);
    }

    private static String section(String html, String id, String end) {
        int start = html.indexOf("id=\"" + id + "\"");
        assertThat(start).as("element %s", id).isNotNegative();
        return html.substring(start, html.indexOf(end, start));
    }
}
