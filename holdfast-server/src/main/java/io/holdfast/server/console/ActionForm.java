package io.holdfast.server.console;

import io.holdfast.server.admin.AdminOperation;
import java.util.ArrayList;
import java.util.List;

/**
 * A form that posts one action: it always carries the session's CSRF token, optionally the version
 * of what the operator saw (so an action on something that moved meanwhile is refused, as {@code
 * If-Match} does in the API), a reason field, and a confirmation the script asks for before
 * sending. Not thread-safe; build one per form.
 */
final class ActionForm {

  private final Operator operator;
  private final String action;
  private final List<String[]> hidden = new ArrayList<>();
  private final Html fields = new Html();
  private String reasonLabel;
  private String confirm;
  private String label = "Submit";
  private String buttonClass = "";
  private String id;

  private ActionForm(Operator operator, String action) {
    this.operator = operator;
    this.action = action;
  }

  static ActionForm post(Operator operator, String action) {
    return new ActionForm(operator, action);
  }

  ActionForm hidden(String name, Object value) {
    hidden.add(new String[] {name, String.valueOf(value)});
    return this;
  }

  /**
   * A text field {@code name} showing {@code value}, labelled {@code label}; optional, since an
   * empty value means something to the action that reads it (such as "remove").
   */
  ActionForm field(String name, String label, String value) {
    fields.empty(
        "input",
        "type",
        "text",
        "name",
        name,
        "value",
        value,
        "placeholder",
        label,
        "aria-label",
        label);
    return this;
  }

  /** A choice {@code name} among {@code options}, the first chosen, labelled {@code label}. */
  ActionForm choice(String name, String label, List<String> options) {
    fields.open("select", "name", name, "aria-label", label);
    for (String option : options) {
      fields.element("option", option, "value", option);
    }
    fields.close("select");
    return this;
  }

  /** Asks for a reason, required, in a text field labelled {@code label}. */
  ActionForm reason(String label) {
    this.reasonLabel = label;
    return this;
  }

  /** Asks the operator to confirm {@code question} before the form is sent. */
  ActionForm confirm(String question) {
    this.confirm = question;
    return this;
  }

  /** The submit button's text, style and id (the id lets tests and people find it). */
  ActionForm button(String label, String buttonClass, String id) {
    this.label = label;
    this.buttonClass = buttonClass;
    this.id = id;
    return this;
  }

  Html html() {
    Html html = new Html();
    html.open(
        "form", "method", "post", "action", action, "class", "action", "data-confirm", confirm);
    html.empty(
        "input",
        "type",
        "hidden",
        "name",
        ConsoleGuard.CSRF_FIELD,
        "value",
        operator.session().csrfToken());
    for (String[] field : hidden) {
      html.empty("input", "type", "hidden", "name", field[0], "value", field[1]);
    }
    html.append(fields);
    if (reasonLabel != null) {
      html.empty(
          "input",
          "type",
          "text",
          "name",
          "reason",
          "required",
          "required",
          "maxlength",
          String.valueOf(AdminOperation.MAX_TEXT),
          "placeholder",
          reasonLabel,
          "aria-label",
          reasonLabel,
          "id",
          id == null ? null : id + "-reason");
    }
    html.element("button", label, "type", "submit", "class", buttonClass, "id", id);
    return html.close("form");
  }
}
