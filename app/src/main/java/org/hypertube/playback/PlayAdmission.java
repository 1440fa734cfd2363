package org.hypertube.playback;

import java.time.Instant;
import java.util.Optional;
import org.hypertube.account.MemberPrincipal;
import org.springframework.stereotype.Component;

/**
 * Whether a member's Play may add a new download: within the member's {@link PlayLimit} (administrators
 * are exempt) and with room under the disk quota ({@link Retention#makeRoom}).
 */
@Component
class PlayAdmission {

    private final PlayLimit limit;
    private final Retention retention;

    PlayAdmission(PlayLimit limit, Retention retention) {
        this.limit = limit;
        this.retention = retention;
    }

    /** An administrator's addition through the API: no Play limit, but room under the disk quota is still made. */
    Admission administrator() {
        return new Admission() {
            @Override
            public void reserve() throws PlayRefused {
                if (!retention.makeRoom()) {
                    throw new PlayRefused("play.diskFull", null, "the disk quota is reached");
                }
            }

            @Override
            public void release() {
                // nothing was taken
            }
        };
    }

    Admission of(MemberPrincipal member) {
        return new Admission() {
            @Override
            public void reserve() throws PlayRefused {
                if (!member.admin()) {
                    Optional<Instant> retryAt = limit.acquire(member.id());
                    if (retryAt.isPresent()) {
                        throw new PlayRefused("play.limit", retryAt.get(),
                                "member " + member.id() + " started too many downloads; again at " + retryAt.get());
                    }
                }
                if (!retention.makeRoom()) {
                    release();
                    throw new PlayRefused("play.diskFull", null, "the disk quota is reached");
                }
            }

            @Override
            public void release() {
                if (!member.admin()) {
                    limit.release(member.id());
                }
            }
        };
    }
}
