package org.hypertube.account;

import java.time.Clock;
import org.hypertube.system.Languages;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating members and changing what they own; every method names the member it acts on by id. */
@Service
@Transactional
public class AccountService {

    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final MemberRepository members;
    private final OAuthIdentityRepository identities;
    private final PasswordPolicy passwordPolicy;
    private final PasswordEncoder passwordEncoder;
    private final EmailVerification verification;
    private final LoginThrottle throttle;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountService(MemberRepository members, OAuthIdentityRepository identities, PasswordPolicy passwordPolicy,
                   PasswordEncoder passwordEncoder, EmailVerification verification, LoginThrottle throttle,
                   ApplicationEventPublisher events, Clock clock) {
        this.members = members;
        this.identities = identities;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.verification = verification;
        this.throttle = throttle;
        this.events = events;
        this.clock = clock;
    }

    /** A member as others may see them: no e-mail. */
    public record PublicProfile(long id, String username, String firstName, String lastName, boolean hasPicture) {
    }

    /** A member as the API shows them; the e-mail is there for the API to decide whom to show it. */
    public record MemberView(long id, String username, String email, String firstName, String lastName, boolean hasPicture,
                             boolean admin) {
        static MemberView of(Member m) {
            return new MemberView(m.getId(), m.getUsername(), m.getEmail(), m.getFirstName(), m.getLastName(), m.hasPicture(),
                    m.isAdmin());
        }
    }

    @Transactional(readOnly = true)
    public org.springframework.data.domain.Page<MemberView> list(int page, int size) {
        return members.findAll(org.springframework.data.domain.PageRequest.of(Math.max(0, page), Math.min(100, Math.max(1, size)),
                org.springframework.data.domain.Sort.by("id"))).map(MemberView::of);
    }

    @Transactional(readOnly = true)
    public Optional<MemberView> view(long id) {
        return members.findById(id).map(MemberView::of);
    }

    /**
     * Changes what the member asked to change (null: unchanged) for a program acting for them; the
     * caller has checked it is them. A new e-mail or password needs the current password (a program
     * holding a token is not the member), so a member without one cannot change them this way.
     */
    public MemberView patch(long id, String username, String email, String password, String currentPassword) {
        Member member = members.findById(id).orElseThrow();
        String newUsername = username == null ? member.getUsername() : username;
        String newEmail = email == null ? member.getEmail() : email;
        boolean newAddress = !Member.key(newEmail).equals(member.getEmailKey());
        if (newAddress || password != null) {
            if (!member.hasPassword()) {
                throw new AccountException("currentPassword", "password.noneSet");
            }
            checkCurrentPassword(member, currentPassword);
        }
        checkFree(newEmail, newUsername, id);
        member.setUsername(newUsername);
        member.setEmail(newEmail);
        if (password != null) {
            replacePassword(member, password);
        }
        Member saved = flush(member);
        if (newAddress) {
            verification.send(saved);
        }
        return MemberView.of(saved);
    }

    /** The member as signed in now (no password hash), for a program acting for them; empty when there is no such member. */
    @Transactional(readOnly = true)
    public Optional<MemberPrincipal> principal(long id) {
        return members.findById(id).map(member -> {
            var principal = new MemberPrincipal(member);
            principal.eraseCredentials();
            return principal;
        });
    }

    /** The member's credentials version (raised by each password or role change); empty when there is no such member. */
    @Transactional(readOnly = true)
    public Optional<Integer> credentialsVersion(long id) {
        return members.findById(id).map(Member::getCredentialsVersion);
    }

    @Transactional(readOnly = true)
    public Optional<PublicProfile> publicProfile(long id) {
        return members.findById(id).map(m -> new PublicProfile(m.getId(), m.getUsername(), m.getFirstName(),
                m.getLastName(), m.hasPicture()));
    }

    /** Usernames of several members in one query (for lists of comments and the like). */
    @Transactional(readOnly = true)
    public java.util.Map<Long, String> usernames(java.util.Collection<Long> ids) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        members.findAllById(ids).forEach(m -> names.put(m.getId(), m.getUsername()));
        return names;
    }

    @Transactional(readOnly = true)
    Optional<Member> find(long id) {
        return members.findById(id);
    }

    /**
     * A sign-up. Its answer never tells whether the e-mail is registered: when it is, nothing is
     * created and the address's owner is told by mail; otherwise the account is made with its address
     * unverified and a verification link goes to it. (Usernames are public, so a taken one is said.)
     */
    void register(RegistrationForm form, String language) {
        if (members.existsByUsernameKey(Member.key(form.username()))) {
            throw new AccountException("username", "username.taken");
        }
        passwordPolicy.problem(form.password(), form.username(), form.email())
                .ifPresent(code -> { throw new AccountException("password", code); });
        String hash = passwordEncoder.encode(form.password()); // both ways, so both take as long
        var owner = members.findByEmailKey(Member.key(form.email()));
        if (owner.isPresent()) {
            log.info("sign-up with the e-mail of member {}: nothing created, its owner is told", owner.get().getId());
            verification.tellOwnerOfSignupAttempt(owner.get());
            return;
        }
        Member member = new Member(form.email(), form.username(), form.firstName().strip(), form.lastName().strip(),
                language, clock.instant());
        member.setPasswordHash(hash);
        verification.send(create(member));
    }

    /**
     * Finds the member an OAuth2 identity belongs to, linking it by e-mail when it is new, but only
     * to an account whose owner proved that address too: otherwise whoever signed up first with
     * someone's address would receive that person's sign-ins.
     */
    Optional<Member> signInWith(ProviderProfile profile) {
        var linked = identities.findByProviderAndSubject(profile.provider(), profile.subject())
                .flatMap(identity -> members.findById(identity.memberId()));
        if (linked.isPresent()) {
            return linked;
        }
        if (profile.email() != null && profile.emailVerified()) {
            var byEmail = members.findByEmailKey(Member.key(profile.email())).filter(Member::isEmailVerified);
            byEmail.ifPresent(m -> {
                identities.save(new OAuthIdentity(profile.provider(), profile.subject(), m.getId(), clock.instant()));
                log.info("linked {} identity to member {}", profile.provider(), m.getId());
            });
            return byEmail;
        }
        return Optional.empty();
    }

    /** Whether the provider vouches for an address no account holds yet: then it is the new account's, verified. */
    boolean providerEmailUsable(ProviderProfile profile) {
        return profile.email() != null && profile.emailVerified() && !members.existsByEmailKey(Member.key(profile.email()));
    }

    Member completeSignup(ProviderProfile profile, OAuthSignupForm form, String language) {
        boolean vouched = providerEmailUsable(profile);
        String email = vouched ? profile.email() : form.email();
        if (email == null || email.isBlank()) {
            throw new AccountException("email", "field.required");
        }
        checkFree(email, form.username(), null);
        Member member = new Member(email, form.username(), form.firstName(), form.lastName(), language, clock.instant());
        if (vouched) {
            member.markEmailVerified();
        }
        member = create(member);
        identities.save(new OAuthIdentity(profile.provider(), profile.subject(), member.getId(), clock.instant()));
        if (!vouched) {
            verification.send(member);
        }
        return member;
    }

    /** The profile form; a new e-mail needs the current password (when the member has one) and a new verification. */
    Member updateProfile(long memberId, ProfileForm form) {
        Member member = members.findById(memberId).orElseThrow();
        boolean newAddress = !Member.key(form.email()).equals(member.getEmailKey());
        if (newAddress && member.hasPassword()) {
            checkCurrentPassword(member, form.currentPassword());
        }
        checkFree(form.email(), form.username(), memberId);
        member.setEmail(form.email());
        member.setUsername(form.username());
        member.setNames(form.firstName(), form.lastName());
        if (Languages.isSupported(form.language())) {
            member.setLanguage(form.language());
        }
        Member saved = flush(member);
        if (newAddress) {
            verification.send(saved);
        }
        return saved;
    }

    /** The settings form; returns the member as they now are, for the session that changed it. */
    Member changePassword(long memberId, String current, String next) {
        Member member = members.findById(memberId).orElseThrow();
        if (member.hasPassword()) {
            checkCurrentPassword(member, current);
        }
        replacePassword(member, next);
        log.info("member {} changed their password", memberId);
        return flush(member);
    }

    /** A new password that also ends every session and revokes every token the member had. */
    void replacePassword(Member member, String password) {
        passwordPolicy.problem(password, member.getUsername(), member.getEmail())
                .ifPresent(code -> { throw new AccountException("password", code); });
        member.setPasswordHash(passwordEncoder.encode(password));
        endSessions(member);
    }

    /**
     * A reset link proved the member's address while it was unconfirmed: it is confirmed now, and the
     * provider identities and API clients attached before go, since whoever signed up with the address
     * (before its owner) may have attached them. Call after {@link #replacePassword}, which ends sessions and tokens.
     */
    void addressClaimedByOwner(Member member) {
        if (member.isEmailVerified()) {
            return;
        }
        member.markEmailVerified();
        int removed = identities.deleteByMemberId(member.getId());
        events.publishEvent(new AddressClaimed(member.getId()));
        log.info("member {} proved their unconfirmed address by a reset link: removed {} provider identity(ies) and their API clients",
                member.getId(), removed);
    }

    /** Ends the member's sessions (at their next request) and revokes their OAuth2 authorizations. */
    void endSessions(Member member) {
        member.endSessions();
        events.publishEvent(new CredentialsChanged(member.getId()));
    }

    /** Missing: "currentNeeded"; wrong: "wrongCurrent", counted like a failed sign-in (and slowed down as one). */
    private void checkCurrentPassword(Member member, String current) {
        if (current == null || current.isEmpty()) {
            throw new AccountException("currentPassword", "password.currentNeeded");
        }
        if (!throttle.waitFor(member.getUsername(), null).isZero()) {
            throw new AccountException("currentPassword", "login.locked");
        }
        if (!passwordEncoder.matches(current, member.getPasswordHash())) {
            throttle.failed(member.getUsername(), null);
            throw new AccountException("currentPassword", "password.wrongCurrent");
        }
    }

    void setLanguage(long memberId, String language) {
        if (Languages.isSupported(language)) {
            members.findById(memberId).ifPresent(m -> m.setLanguage(language));
        }
    }

    /** Records the member's new picture and returns the name of the one it replaces, if any. */
    Optional<String> setPicture(long memberId, String picture) {
        Member member = members.findById(memberId).orElseThrow();
        String old = member.getPicture();
        member.setPicture(picture);
        return Optional.ofNullable(old);
    }

    boolean usernameFree(String username) {
        return username != null && !members.existsByUsernameKey(Member.key(username));
    }

    private void checkFree(String email, String username, Long self) {
        members.findByUsernameKey(Member.key(username)).filter(m -> !m.getId().equals(self))
                .ifPresent(m -> { throw new AccountException("username", "username.taken"); });
        members.findByEmailKey(Member.key(email)).filter(m -> !m.getId().equals(self))
                .ifPresent(m -> { throw new AccountException("email", "email.taken"); });
    }

    /** The first account is an administrator; nobody else becomes one by signing up (see {@link AdminList}). */
    private Member create(Member member) {
        member.setAdmin(members.count() == 0);
        Member saved = flush(member);
        log.info("member {} registered as {}{}", saved.getId(), saved.getUsername(), saved.isAdmin() ? " (admin)" : "");
        return saved;
    }

    private Member flush(Member member) {
        try {
            return members.saveAndFlush(member);
        } catch (DataIntegrityViolationException race) {
            // Two requests took the same name at once; the unique index decided.
            throw new AccountException("username", "username.taken");
        }
    }
}
