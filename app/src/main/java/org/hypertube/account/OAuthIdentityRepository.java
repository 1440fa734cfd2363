package org.hypertube.account;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface OAuthIdentityRepository extends JpaRepository<OAuthIdentity, Long> {

    Optional<OAuthIdentity> findByProviderAndSubject(String provider, String subject);

    @Modifying
    @Query("delete from OAuthIdentity i where i.memberId = :memberId")
    int deleteByMemberId(Long memberId);
}
