package org.hypertube.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The grid and the home page are kept whole per member, address and what they show
 * ({@code SharedFragments.page}): each member still sees their own menu, banner, search and rows, and a
 * change of theirs on the very next page.
 */
class WholePagesWebTest extends AppTestBase {

    private static final Pattern MENU = Pattern.compile("href=\"/users/(\\d+)/edit\"");
    private static final String BANNER = "id=\"verify-banner\"";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void eachMemberSeesTheirOwnMenuAndBannerAndAVerifiedAddressTakesTheBannerAwayAtOnce() throws Exception {
        var ada = signedInMember(mvc, "w");
        var bob = signedInMember(mvc, "w");
        for (String path : new String[] {"/browse", "/"}) {
            String adas = page(path, ada);
            String bobs = page(path, bob); // right after Ada's page was kept
            assertThat(menu(adas)).hasSize(1);
            assertThat(menu(bobs)).hasSize(1).doesNotContainAnyElementsOf(menu(adas));
            assertThat(adas).contains(BANNER);
            assertThat(bobs).contains(BANNER);
        }
        long adaId = menu(page("/browse", ada)).iterator().next();
        String email = jdbc.queryForObject("select email from members where id = ?", String.class, adaId);
        String link = mailedLink(email, "/email/verify");
        mvc.perform(get("/email/verify").session(ada).param("token", link.substring(link.indexOf("token=") + 6)))
                .andExpect(status().is3xxRedirection());

        assertThat(page("/browse", ada)).doesNotContain(BANNER);
        assertThat(page("/", ada)).doesNotContain(BANNER);
        assertThat(page("/browse", bob)).contains(BANNER);
        assertThat(page("/", bob)).contains(BANNER);
        // An address unverified again (a new one given): the banner is back on the next page.
        jdbc.update("update members set email_verified = false where id = ?", adaId);
        assertThat(page("/browse", ada)).contains(BANNER);
        assertThat(page("/", ada)).contains(BANNER);
    }

    @Test
    void theSearchBoxShowsEachAddressItsOwnSearch() throws Exception {
        var member = signedInMember(mvc, "w");
        assertThat(searchBox(page("/browse?q=lantern", member))).contains("value=\"lantern\"");
        assertThat(searchBox(page("/browse?q=harbour", member))).contains("value=\"harbour\"").doesNotContain("lantern");
        assertThat(searchBox(page("/browse", member))).doesNotContain("harbour");
        String markup = mvc.perform(get("/browse").param("q", "<b>").session(member)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(searchBox(markup)).contains("value=\"&lt;b&gt;\"");
    }

    @Test
    void aListedFilmIsOnTheListersHomeRowAtOnceAndOnNoOneElses() throws Exception {
        var ada = signedInMember(mvc, "w");
        var bob = signedInMember(mvc, "w");
        assertThat(watchlistRow(page("/", ada))).contains("Add films with the +");
        assertThat(watchlistRow(page("/", bob))).contains("Add films with the +");
        long film = firstFilm(page("/browse", ada));
        mvc.perform(post("/films/" + film + "/watchlist").session(ada).with(csrf()).param("in", "true").param("back", "/"))
                .andExpect(status().is3xxRedirection());

        assertThat(watchlistRow(page("/", ada))).contains("href=\"/films/" + film + "\"").doesNotContain("Add films with the +");
        assertThat(watchlistRow(page("/", bob))).contains("Add films with the +").doesNotContain("href=\"/films/" + film + "\"");
    }

    @Test
    void aMemberWhoSwitchesToFrenchGetsTheFrameInFrenchOnTheNextPage() throws Exception {
        var member = signedInMember(mvc, "w");
        assertThat(page("/browse", member)).contains("Log out").doesNotContain("Se déconnecter");
        assertThat(page("/", member)).contains("Log out");
        mvc.perform(post("/language").session(member).with(csrf()).param("lang", "fr").param("redirect", "/"))
                .andExpect(status().is3xxRedirection());
        assertThat(page("/browse", member)).contains("Se déconnecter").doesNotContain("Log out");
        assertThat(page("/", member)).contains("Se déconnecter").contains("<html lang=\"fr\"");
    }

    @Test
    void aKeptPageCarriesItsReadersOwnFormToken() throws Exception {
        var ada = signedInMember(mvc, "w");
        var bob = signedInMember(mvc, "w");
        for (String path : new String[] {"/browse", "/"}) {
            page(path, ada);
            page(path, bob);
            String adas = page(path, ada); // both kept by now: this one is served from the cache
            String bobs = page(path, bob);
            assertThat(adas).doesNotContain("csrf-hole-").doesNotContain("part-hole-");
            // the token in Ada's page works for Ada's form, and the one in Bob's page does not
            mvc.perform(post("/language").session(ada).param("_csrf", token(adas)).param("lang", "en").param("redirect", "/"))
                    .andExpect(status().is3xxRedirection());
            mvc.perform(post("/language").session(ada).param("_csrf", token(bobs)).param("lang", "en").param("redirect", "/"))
                    .andExpect(status().isForbidden());
        }
    }

    @Test
    void theMetricsCountThePagesServedFromTheirCache() throws Exception {
        var ada = signedInMember(mvc, "w");
        var bob = signedInMember(mvc, "w");
        for (String path : new String[] {"/browse", "/"}) {
            double hits = pageGets("hit");
            double misses = pageGets("miss");
            page(path, ada); // rendered and kept
            page(path, ada); // served from the cache
            page(path, bob); // kept per member: Bob's own page is rendered
            assertThat(pageGets("hit") - hits).as(path + " hits").isEqualTo(1);
            assertThat(pageGets("miss") - misses).as(path + " misses").isEqualTo(2);
        }
    }

    /** The pages kept whole, served from their cache ("hit") or rendered ("miss"), as the metrics count them. */
    private double pageGets(String result) {
        var meter = registry.find("cache.gets").tag("cache", "pages").tag("result", result).functionCounter();
        assertThat(meter).as("the pages' cache in the metrics").isNotNull();
        return meter.count();
    }

    /** The form token of a page's first form (the hidden {@code _csrf} input). */
    private static String token(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a form token").isTrue();
        return m.group(1);
    }

    private String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The members whose settings the page's menu links to. */
    private static Set<Long> menu(String html) {
        Set<Long> found = new LinkedHashSet<>();
        Matcher m = MENU.matcher(html);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        return found;
    }

    private static String searchBox(String html) {
        int start = html.indexOf("<input id=\"q\"");
        assertThat(start).as("the header's search box").isNotNegative();
        return html.substring(start, html.indexOf('>', start));
    }

    private static String watchlistRow(String html) {
        int start = html.indexOf("id=\"watchlist-row\"");
        assertThat(start).as("the watchlist row").isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static long firstFilm(String html) {
        Matcher m = Pattern.compile("<li class=\"film-card\">\\s*<a href=\"/films/(\\d+)\"").matcher(html);
        assertThat(m.find()).as("a film card").isTrue();
        return Long.parseLong(m.group(1));
    }
}
