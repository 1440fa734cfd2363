package org.hypertube.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.hypertube.AppTestBase;
import org.hypertube.MemberHttp;
import org.hypertube.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Only administrators pause downloads (the downloads page). A member's Play of a paused film leaves it
 * paused and tells the player so; an administrator's own Play resumes it.
 */
class PausedDownloadWebTest extends AppTestBase {

    @LocalServerPort
    int port;
    @Autowired
    DownloadRepository repository;
    @Autowired
    Downloads downloads;
    @Autowired
    Catalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aMembersPlayDoesNotResumeWhatAnAdministratorPaused() throws Exception {
        long film = TestFilms.unplayedFilm(catalog, repository);
        byte[] hash = new byte[20];
        new Random().nextBytes(hash);
        String hex = HexFormat.of().formatHex(hash);
        Download d = new Download(hex, film, "magnet:?xt=urn:btih:" + hex, "Paused film", null, Instant.now());
        d.setState(Download.State.PAUSED);
        d = repository.save(d);
        try {
            MemberHttp member = MemberHttp.signUp(port, uniqueName("m"), "amber-lantern-member");
            String username = uniqueName("a");
            MemberHttp.signUp(port, username, "amber-lantern-admin");
            jdbc.update("update members set admin = true where username = ?", username);
            MemberHttp admin = MemberHttp.signIn(port, username, "amber-lantern-admin");

            String answer = play(member, film);
            assertThat(answer).contains("\"phase\":\"PAUSED\"");
            assertThat(repository.findByInfoHash(hex).orElseThrow().getState()).isEqualTo(Download.State.PAUSED);
            String page = new String(member.get("/films/" + film).body(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(page).contains("data-msg-paused=\"An administrator has paused this film’s download.");

            assertThat(play(admin, film)).doesNotContain("\"phase\":\"PAUSED\"");
            assertThat(repository.findByInfoHash(hex).orElseThrow().getState()).isEqualTo(Download.State.ACTIVE);
        } finally {
            downloads.remove(repository.findByInfoHash(hex).orElseThrow(), "test over");
        }
    }

    private static String play(MemberHttp who, long film) throws Exception {
        HttpResponse<String> r = who.http().send(who.request("/films/" + film + "/play")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("quality=ORIGINAL")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
