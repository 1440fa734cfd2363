package org.hypertube.playback;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * A member's subtitle appearance in the player (size, background), kept server-side so it follows them to
 * every device. Only the member's own row is ever read or written: the id comes from their session.
 */
@Service
class PlayerSettings {

    enum Size { S, M, L, XL }

    enum Background { NONE, HALF, SOLID }

    record Subtitles(Size size, Background background) {
        static final Subtitles DEFAULT = new Subtitles(Size.M, Background.HALF);
    }

    private final JdbcTemplate jdbc;

    PlayerSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Subtitles of(long memberId) {
        return jdbc.query("select subtitle_size, subtitle_background from player_settings where member_id = ?",
                (rs, n) -> new Subtitles(Size.valueOf(rs.getString(1)), Background.valueOf(rs.getString(2))), memberId)
                .stream().findFirst().orElse(Subtitles.DEFAULT);
    }

    /**
     * Keeps the member's choice: an update, or an insert for a member with no row yet (written without
     * PostgreSQL's {@code on conflict ... excluded}, which H2, the default database, does not parse). Two saves of
     * one member at once: the insert that loses the race becomes the update.
     */
    void save(long memberId, Subtitles subtitles) {
        if (update(memberId, subtitles) > 0) {
            return;
        }
        try {
            jdbc.update("insert into player_settings (member_id, subtitle_size, subtitle_background) values (?, ?, ?)",
                    memberId, subtitles.size().name(), subtitles.background().name());
        } catch (org.springframework.dao.DuplicateKeyException raced) {
            update(memberId, subtitles);
        }
    }

    private int update(long memberId, Subtitles subtitles) {
        return jdbc.update("update player_settings set subtitle_size = ?, subtitle_background = ? where member_id = ?",
                subtitles.size().name(), subtitles.background().name(), memberId);
    }
}
