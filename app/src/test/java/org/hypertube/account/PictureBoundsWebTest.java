package org.hypertube.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hypertube.AppTestBase;
import org.hypertube.TestPictures;
import org.hypertube.MemberHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A picture's pixels are bounded before any is decoded: a tiny file that claims 10,000 × 10,000
 * pixels (100 megapixels, 400 MB decoded) is refused from its header with a message saying so.
 */
class PictureBoundsWebTest extends AppTestBase {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aHundredMegapixelPngIsRefusedWithAClearMessage() throws Exception {
        String username = uniqueName("p");
        MemberHttp member = MemberHttp.signUp(port, username, "amber-lantern-pixels");
        long id = jdbc.queryForObject("select id from members where username = ?", Long.class, username);
        byte[] png = TestPictures.blackPng(10_000, 10_000);
        assertThat(png.length).isLessThan(64 * 1024);

        HttpResponse<byte[]> posted = upload(member, id, png);
        assertThat(posted.statusCode()).isEqualTo(302);
        String page = new String(member.get("/users/" + id + "/edit").body(), StandardCharsets.UTF_8);
        assertThat(page).contains("This picture is too large: at most 8000 pixels a side and 24 megapixels in all.");
        assertThat(jdbc.queryForObject("select picture from members where id = ?", String.class, id)).isNull();

        // A picture within the bound is still taken.
        assertThat(upload(member, id, TestPictures.blackPng(300, 200)).statusCode()).isEqualTo(302);
        assertThat(new String(member.get("/users/" + id + "/edit").body(), StandardCharsets.UTF_8))
                .doesNotContain("too large");
        assertThat(jdbc.queryForObject("select picture from members where id = ?", String.class, id)).isNotNull();
    }

    private static HttpResponse<byte[]> upload(MemberHttp member, long id, byte[] png) throws Exception {
        String boundary = "----picture" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"me.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(png);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return member.http().send(member.request("/users/" + id + "/picture")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
