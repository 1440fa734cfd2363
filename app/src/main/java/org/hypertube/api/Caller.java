package org.hypertube.api;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.server.ResponseStatusException;

/** Who is calling: a member (tokens they consented to carry uid) or a program on its own. */
record Caller(Long memberId, boolean admin) {

    static Caller of(Jwt jwt) {
        Object uid = jwt.getClaim("uid");
        Long id = uid instanceof Number n ? n.longValue() : null;
        return new Caller(id, id != null && Boolean.TRUE.equals(jwt.getClaim("admin")));
    }

    boolean is(long id) {
        return memberId != null && memberId == id;
    }

    /** The member behind the token; a program acting on its own may not do what only members do. */
    long member() {
        if (memberId == null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "This needs a token a member consented to.");
        }
        return memberId;
    }
}
