package org.hypertube.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record RegistrationForm(
        @NotBlank(message = "{field.required}") @Email(message = "{email.invalid}") @Size(max = 254, message = "{field.tooLong}") String email,
        @NotBlank(message = "{field.required}") @Pattern(regexp = Usernames.PATTERN, message = "{username.invalid}") String username,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String firstName,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String lastName,
        @NotBlank(message = "{field.required}") @Size(max = 128, message = "{password.tooLong}") String password) {

    static RegistrationForm empty() {
        return new RegistrationForm("", "", "", "", "");
    }

    @Override
    public String toString() {
        return "RegistrationForm[" + username + "]";
    }
}
