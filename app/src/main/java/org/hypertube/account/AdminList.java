package org.hypertube.account;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * HYPERTUBE_ADMINS, applied to the accounts that exist at each start-up: listed usernames become
 * administrators, every other administrator but the first account is demoted. Never applied at
 * sign-up, so taking a listed name nobody holds yet gives nothing. An empty list changes nobody:
 * the roles given on the members page stay as they are. Changes end the member's sessions.
 */
@Component
class AdminList {

    private static final Logger log = LoggerFactory.getLogger(AdminList.class);

    private final MemberRepository members;
    private final AccountService accounts;
    private final AccountProperties properties;

    AdminList(MemberRepository members, AccountService accounts, AccountProperties properties) {
        this.members = members;
        this.accounts = accounts;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    void apply() {
        if (properties.admins().isEmpty()) {
            log.info("HYPERTUBE_ADMINS is empty: administrators stay as they are");
            return;
        }
        Set<String> listed = properties.admins().stream().map(Member::key).collect(Collectors.toCollection(TreeSet::new));
        Long first = members.findFirstByOrderByIdAsc().map(Member::getId).orElse(null);
        Set<String> missing = new TreeSet<>(listed);
        for (Member m : members.findByUsernameKeyIn(listed)) {
            missing.remove(m.getUsernameKey());
            if (!m.isAdmin()) {
                m.setAdmin(true);
                accounts.endSessions(m);
                log.info("member {} ({}) made an administrator by HYPERTUBE_ADMINS", m.getId(), m.getUsername());
            }
        }
        for (Member m : members.findByAdminTrueOrderById()) {
            if (!listed.contains(m.getUsernameKey()) && !m.getId().equals(first)) {
                m.setAdmin(false);
                accounts.endSessions(m);
                log.info("member {} ({}) is no longer an administrator: not in HYPERTUBE_ADMINS", m.getId(), m.getUsername());
            }
        }
        if (!missing.isEmpty()) {
            log.info("HYPERTUBE_ADMINS names {} account(s) that do not exist; signing up under such a name gives no role",
                    missing.size());
        }
    }
}
