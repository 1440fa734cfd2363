package org.hypertube.account;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface MemberRepository extends JpaRepository<Member, Long> {

    Optional<Member> findByUsernameKey(String usernameKey);

    Optional<Member> findByEmailKey(String emailKey);

    boolean existsByUsernameKey(String usernameKey);

    boolean existsByEmailKey(String emailKey);

    List<Member> findByUsernameKeyIn(Collection<String> usernameKeys);

    /** The administrators, locked until the transaction ends, so two demotions cannot both leave the other last. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    List<Member> findByAdminTrueOrderById();

    /** The first account ever made, which stays an administrator. */
    Optional<Member> findFirstByOrderByIdAsc();
}
