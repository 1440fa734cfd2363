package org.hypertube.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Administrators promote and demote members; the first account and the last administrator stay. */
@Service
@Transactional
class MemberRoles {

    static final int PAGE_SIZE = 50;
    private static final Logger log = LoggerFactory.getLogger(MemberRoles.class);

    record Row(long id, String username, boolean admin, boolean first) {
    }

    private final MemberRepository members;
    private final AccountService accounts;

    MemberRoles(MemberRepository members, AccountService accounts) {
        this.members = members;
        this.accounts = accounts;
    }

    @Transactional(readOnly = true)
    Page<Row> list(int page) {
        Long first = members.findFirstByOrderByIdAsc().map(Member::getId).orElse(null);
        return members.findAll(PageRequest.of(Math.clamp(page, 0, 100_000), PAGE_SIZE, Sort.by("id")))
                .map(m -> new Row(m.getId(), m.getUsername(), m.isAdmin(), m.getId().equals(first)));
    }

    /**
     * Gives or takes the administrator role; {@code actor} must be an administrator now. Returns the
     * member as they now are. Refusals are {@link AccountException}s with field "admin".
     */
    Member setAdmin(long actorId, long targetId, boolean admin) {
        var admins = members.findByAdminTrueOrderById(); // locked: concurrent changes wait for this one
        if (admins.stream().noneMatch(a -> a.getId() == actorId)) {
            throw new AccountException("admin", "admin.notAdmin");
        }
        Member target = members.findById(targetId).orElseThrow(() -> new AccountException("admin", "admin.noMember"));
        if (target.isAdmin() == admin) {
            return target;
        }
        if (!admin) {
            if (members.findFirstByOrderByIdAsc().map(Member::getId).filter(id -> id == targetId).isPresent()) {
                throw new AccountException("admin", "admin.firstStays");
            }
            if (admins.stream().allMatch(a -> a.getId() == targetId)) {
                throw new AccountException("admin", "admin.lastOne");
            }
        }
        target.setAdmin(admin);
        accounts.endSessions(target);
        log.info("member {} {} member {} ({})", actorId, admin ? "promoted" : "demoted", targetId, target.getUsername());
        return target;
    }
}
