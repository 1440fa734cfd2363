package org.hypertube.playback;

import java.util.regex.Pattern;

/**
 * One film page of a member, as a viewer of a converted stream: the page names itself with a random id
 * ({@code ?p=} on the playlist, init and segment addresses), so a member's TV and phone are two viewers,
 * and a variant switch on one page stops only that page's old ffmpeg. The id is no authority: the session's
 * member is checked on every request as before, and a member can only name pages of their own.
 *
 * @param page the page's id, or "" for a request that names no page (tools, an old page): the member's one viewer
 */
record PlayerPage(long memberId, String page) {

    /** What a page may call itself: the player's 32 hex digits, or any short id of URL-safe characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    PlayerPage {
        if (page == null) {
            page = "";
        }
        if (!page.isEmpty() && !ID.matcher(page).matches()) {
            throw new IllegalArgumentException("a page id is 1-64 letters, digits, '-' or '_'");
        }
    }

    /** The viewer's name in a conversion ({@code HlsSession}): the member, and the page when it named one. */
    String viewer() {
        return page.isEmpty() ? "m" + memberId : "m" + memberId + "-" + page;
    }

    /** A playlist's relative address ("init.mp4", "seg3.m4s") as this page asks for it. */
    String address(String relative) {
        return page.isEmpty() ? relative : relative + "?p=" + page;
    }
}
