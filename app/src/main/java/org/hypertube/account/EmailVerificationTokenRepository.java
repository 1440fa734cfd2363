package org.hypertube.account;

import java.time.Instant;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface EmailVerificationTokenRepository extends JpaRepository<EmailVerificationToken, String> {

    @Modifying
    @Query("delete from EmailVerificationToken t where t.memberId = ?1 or t.expiresAt < ?2")
    void deleteForMemberOrExpired(Long memberId, Instant now);
}
