package org.hypertube.api;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who is calling: a member (tokens a member consented to, and client-credentials tokens of a client a member made,
 * carry uid) or the operator's program, which acts for nobody and so only reads.
 */
record Caller(Long memberId, boolean admin) {

    static Caller of(Jwt jwt) {
        Object uid = jwt.getClaim("uid");
        Long id = uid instanceof Number n ? n.longValue() : null;
        return new Caller(id, id != null && Boolean.TRUE.equals(jwt.getClaim("admin")));
    }

    boolean is(long id) {
        return memberId != null && memberId == id;
    }

    /** The member behind the token; the operator's program, acting for nobody, may not do what only members do. */
    long member() {
        if (memberId == null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "This token acts for no member: it may only read. Use a member's client (Settings, API clients) or a token a member consented to.");
        }
        return memberId;
    }
}
