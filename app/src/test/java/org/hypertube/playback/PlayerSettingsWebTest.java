package org.hypertube.playback;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hypertube.AppTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The player's subtitle appearance: each member's own, behind the session and CSRF, unknown values refused. */
class PlayerSettingsWebTest extends AppTestBase {

    @Autowired
    MockMvc mvc;

    MockHttpSession member() throws Exception {
        String username = uniqueName("s");
        var session = new MockHttpSession();
        mvc.perform(post("/register").session(session).with(csrf())
                        .param("email", username + "@example.org").param("username", username)
                        .param("firstName", "Sub").param("lastName", "Titles").param("password", "amber-lantern-" + username.substring(1, 5)))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username)
                .param("password", "amber-lantern-" + username.substring(1, 5))).andExpect(redirectedUrl("/"));
        return session;
    }

    @Test
    void eachMemberKeepsTheirOwnSubtitleAppearance() throws Exception {
        MockHttpSession ada = member();
        MockHttpSession bob = member();
        mvc.perform(get("/player/settings").session(ada)).andExpect(status().isOk())
                .andExpect(jsonPath("$.size").value("M")).andExpect(jsonPath("$.background").value("HALF"));

        mvc.perform(post("/player/settings").session(ada).with(csrf()).param("size", "XL").param("background", "SOLID"))
                .andExpect(status().isOk());
        mvc.perform(get("/player/settings").session(ada))
                .andExpect(jsonPath("$.size").value("XL")).andExpect(jsonPath("$.background").value("SOLID"));
        // Another member's are untouched: the address names nobody, the session says whose.
        mvc.perform(get("/player/settings").session(bob))
                .andExpect(jsonPath("$.size").value("M")).andExpect(jsonPath("$.background").value("HALF"));
    }

    @Test
    void noSessionNoCsrfOrAnUnknownValueChangesNothing() throws Exception {
        MockHttpSession ada = member();
        mvc.perform(post("/player/settings").with(csrf()).param("size", "XL").param("background", "SOLID"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/player/settings").session(ada).param("size", "XL").param("background", "SOLID"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/player/settings").session(ada).with(csrf()).param("size", "HUGE").param("background", "SOLID"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/player/settings").session(ada).with(csrf()).param("size", "L"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/player/settings").session(ada))
                .andExpect(jsonPath("$.size").value("M")).andExpect(jsonPath("$.background").value("HALF"));
    }
}
