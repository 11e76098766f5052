// SPDX-License-Identifier: MIT
// tests/demo/scorecard_notes_test.cc: the evidence notes the demo's reps write with their
// scorecard answers, in Danish, Swedish, Norwegian and English.
#include "demo/internal/scorecard_notes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace salesbox::demo::internal {
namespace {

TEST(ScorecardNotesTest, YesNotesCarryTheDayInTheLanguagesFormat) {
  const Date day = MakeDate(2025, 5, 12);
  std::string note;
  SetAnswerNote(false, 10, Answer::kYes, kEnglish, day, &note);  // budget_confirmed
  EXPECT_EQ(note, "CFO confirmed budget in the meeting on 12 May");
  SetAnswerNote(false, 10, Answer::kYes, 0, day, &note);
  EXPECT_EQ(note, "Økonomidirektøren bekræftede budgettet på mødet 12. maj");
  SetAnswerNote(false, 10, Answer::kYes, 1, day, &note);
  EXPECT_EQ(note, "Ekonomichefen bekräftade budgeten på mötet 12 maj");
  SetAnswerNote(false, 10, Answer::kYes, 2, MakeDate(2024, 12, 3), &note);
  EXPECT_EQ(note, "Økonomisjefen bekreftet budsjettet på møtet 3. desember");
  SetAnswerNote(false, 10, Answer::kNo, 1, day, &note);
  EXPECT_EQ(note, "Budgeten är inte godkänd ännu");
  SetAnswerNote(true, kAccountNoOpenEscalation, Answer::kNo, kEnglish, day, &note);
  EXPECT_EQ(note, "Open escalation: delivery delays, raised on 12 May");
  SetAnswerNote(true, 0, Answer::kUnknown, 0, day, &note);
  EXPECT_EQ(note, "Ikke afklaret endnu");
}

TEST(ScorecardNotesTest, EveryCriterionHasADistinctNoteForEachAnswerAndLanguage) {
  const Date day = MakeDate(2025, 1, 31);
  std::string note;
  for (const bool account : {false, true}) {
    const int count = account ? kAccountCriterionCount : kOpportunityCriterionCount;
    std::set<std::string> english;
    for (int c = 0; c < count; ++c) {
      for (int language = 0; language <= kEnglish; ++language) {
        for (const Answer answer : {Answer::kYes, Answer::kNo}) {
          SetAnswerNote(account, c, answer, language, day, &note);
          EXPECT_FALSE(note.empty());
          EXPECT_EQ(note.find('@'), std::string::npos) << note;
          if (answer == Answer::kYes) EXPECT_NE(note.find("31"), std::string::npos) << note;
          if (language == kEnglish) EXPECT_TRUE(english.insert(note).second) << note;
        }
      }
    }
  }
}

}  // namespace
}  // namespace salesbox::demo::internal
