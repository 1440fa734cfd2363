package org.hypertube.account;

/** A request about an account that cannot be done as asked; {@code field} and {@code code} go beside the form field. */
public class AccountException extends RuntimeException {

    private final String field;
    private final String code;

    AccountException(String field, String code) {
        super(field + ": " + code);
        this.field = field;
        this.code = code;
    }

    public String field() { return field; }

    public String code() { return code; }
}
