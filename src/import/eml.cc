#include "kalm/import/eml.h"

#include <gmime/gmime.h>

#include <mutex>

#include "kalm/core/text.h"

namespace kalm::import {

StatusOr<std::string> ComposeEml(const OutgoingMail& m) {
  for (const std::string* s : {&m.from_name, &m.from_address, &m.to_name,
                               &m.to_address, &m.subject, &m.body})
    if (core::FindInvalidUtf8(*s))
      return InvalidArgumentError("the mail is not valid UTF-8");
  for (const std::string* s :
       {&m.from_name, &m.from_address, &m.to_name, &m.to_address, &m.subject})
    if (s->find_first_of("\r\n") != std::string::npos)
      return InvalidArgumentError("a mail header holds a line break");
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
  GMimeMessage* msg = g_mime_message_new(TRUE);
  if (!m.from_address.empty())
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
                               m.from_name.c_str(), m.from_address.c_str());
  if (!m.to_address.empty())
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, m.to_name.c_str(),
                               m.to_address.c_str());
  g_mime_message_set_subject(msg, m.subject.c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(m.date);
  g_mime_message_set_date(msg, date);
  g_date_time_unref(date);
  GMimeTextPart* part = g_mime_text_part_new_with_subtype("plain");
  g_mime_text_part_set_text(part, m.body.c_str());
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part),
                                   GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
  g_object_unref(part);
  char* text = g_mime_object_to_string(GMIME_OBJECT(msg), nullptr);
  g_object_unref(msg);
  if (text == nullptr) return InternalError("GMime could not write the mail");
  std::string out(text);
  g_free(text);
  return out;
}

}  // namespace kalm::import
