package org.hypertube.account;

import java.time.Clock;
import org.hypertube.system.Languages;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final AccountProperties properties;
    private final Clock clock;

    AccountService(MemberRepository members, OAuthIdentityRepository identities, PasswordPolicy passwordPolicy,
                   PasswordEncoder passwordEncoder, AccountProperties properties, Clock clock) {
        this.members = members;
        this.identities = identities;
        this.passwordPolicy = passwordPolicy;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
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

    /** Changes what the member asked to change (null: unchanged); the caller has checked it is them. */
    public MemberView patch(long id, String username, String email, String password) {
        Member member = members.findById(id).orElseThrow();
        String newUsername = username == null ? member.getUsername() : username;
        String newEmail = email == null ? member.getEmail() : email;
        checkFree(newEmail, newUsername, id);
        member.setUsername(newUsername);
        member.setEmail(newEmail);
        if (password != null) {
            setPassword(member, password);
        }
        return MemberView.of(flush(member));
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

    Member register(RegistrationForm form, String language) {
        checkFree(form.email(), form.username(), null);
        passwordPolicy.problem(form.password(), form.username(), form.email())
                .ifPresent(code -> { throw new AccountException("password", code); });
        Member member = new Member(form.email(), form.username(), form.firstName().strip(), form.lastName().strip(),
                language, clock.instant());
        member.setPasswordHash(passwordEncoder.encode(form.password()));
        return create(member);
    }

    /** Finds the member an OAuth2 identity belongs to, linking it by verified e-mail when it is new. */
    Optional<Member> signInWith(ProviderProfile profile) {
        var linked = identities.findByProviderAndSubject(profile.provider(), profile.subject())
                .flatMap(identity -> members.findById(identity.memberId()));
        if (linked.isPresent()) {
            return linked;
        }
        if (profile.email() != null && profile.emailVerified()) {
            var byEmail = members.findByEmailKey(Member.key(profile.email()));
            byEmail.ifPresent(m -> {
                identities.save(new OAuthIdentity(profile.provider(), profile.subject(), m.getId(), clock.instant()));
                log.info("linked {} identity to member {}", profile.provider(), m.getId());
            });
            return byEmail;
        }
        return Optional.empty();
    }

    Member completeSignup(ProviderProfile profile, OAuthSignupForm form, String language) {
        String email = profile.email() != null && profile.emailVerified() ? profile.email() : form.email();
        if (email == null || email.isBlank()) {
            throw new AccountException("email", "field.required");
        }
        checkFree(email, form.username(), null);
        Member member = create(new Member(email, form.username(), form.firstName(), form.lastName(), language,
                clock.instant()));
        identities.save(new OAuthIdentity(profile.provider(), profile.subject(), member.getId(), clock.instant()));
        return member;
    }

    Member updateProfile(long memberId, ProfileForm form) {
        Member member = members.findById(memberId).orElseThrow();
        checkFree(form.email(), form.username(), memberId);
        member.setEmail(form.email());
        member.setUsername(form.username());
        member.setNames(form.firstName(), form.lastName());
        if (Languages.isSupported(form.language())) {
            member.setLanguage(form.language());
        }
        return flush(member);
    }

    void changePassword(long memberId, String current, String next) {
        Member member = members.findById(memberId).orElseThrow();
        if (member.hasPassword() && (current == null || !passwordEncoder.matches(current, member.getPasswordHash()))) {
            throw new AccountException("currentPassword", "password.wrongCurrent");
        }
        setPassword(member, next);
        log.info("member {} changed their password", memberId);
    }

    void setPassword(Member member, String password) {
        passwordPolicy.problem(password, member.getUsername(), member.getEmail())
                .ifPresent(code -> { throw new AccountException("password", code); });
        member.setPasswordHash(passwordEncoder.encode(password));
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

    private Member create(Member member) {
        boolean first = members.count() == 0;
        member.setAdmin(first || properties.admins().stream().anyMatch(a -> a.equalsIgnoreCase(member.getUsername())));
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
