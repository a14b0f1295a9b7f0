// Undo and redo of style changes (host/StyleHistory.h).
#include <gtest/gtest.h>

#include "host/StyleHistory.h"

namespace bcmap {
namespace {

StyleSpec graduated(int classes) {
  StyleSpec s;
  s.kind = StyleKind::Graduated;
  s.field = "v";
  s.classes = classes;
  return s;
}

TEST(StyleHistoryTest, UndoReturnsChangesNewestFirstAndRedoReplaysThem) {
  StyleHistory h;
  EXPECT_FALSE(h.undo());
  h.record("a", std::nullopt, graduated(3));   // plugin style -> 3 classes
  h.record("b", std::nullopt, graduated(4));
  h.record("a", graduated(3), graduated(5));
  EXPECT_EQ(h.undoCount(), 3u);

  auto c = h.undo();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->layerId, "a");
  EXPECT_EQ(c->before, graduated(3));  // what to put back
  c = h.undo();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->layerId, "b");
  EXPECT_FALSE(c->before.has_value());  // back to the plugin's style
  EXPECT_TRUE(h.canRedo());

  c = h.redo();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->layerId, "b");
  EXPECT_EQ(c->after, graduated(4));
  EXPECT_EQ(h.undoCount(), 2u);
  // A new change forgets what was undone.
  h.record("c", std::nullopt, graduated(2));
  EXPECT_FALSE(h.canRedo());
  EXPECT_EQ(h.undoCount(), 3u);
}

TEST(StyleHistoryTest, ADragIsOneStep) {
  StyleHistory h;
  h.record("a", std::nullopt, graduated(2));
  // The classes slider dragged 2 -> 3 -> 4 -> 5 and let go at 5.
  h.record("a", graduated(2), graduated(3), true);
  h.record("a", graduated(3), graduated(4), true);
  h.record("a", graduated(4), graduated(5), false);
  EXPECT_EQ(h.undoCount(), 2u);
  auto c = h.undo();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->before, graduated(2));
  EXPECT_EQ(c->after, graduated(5));
  // A drag on another layer does not merge into one on this layer.
  h.record("a", graduated(2), graduated(3), true);
  h.record("b", std::nullopt, graduated(3), true);
  EXPECT_EQ(h.undoCount(), 3u);
}

TEST(StyleHistoryTest, NoChangeLeavesNoEntry) {
  StyleHistory h;
  h.record("a", graduated(3), graduated(3));
  h.record("a", std::nullopt, std::nullopt);
  EXPECT_FALSE(h.canUndo());
  // Dragged away and back to where it started.
  h.record("a", graduated(3), graduated(4), true);
  h.record("a", graduated(4), graduated(3), false);
  EXPECT_FALSE(h.canUndo());
}

TEST(StyleHistoryTest, KeepsOnlyTheLastChangesAndForgetsRemovedLayers) {
  StyleHistory h(3);
  for (int i = 2; i <= 6; ++i) h.record("a", graduated(i - 1), graduated(i));
  EXPECT_EQ(h.undoCount(), 3u);
  EXPECT_EQ(h.undo()->after, graduated(6));
  h.record("b", std::nullopt, graduated(2));
  h.forgetLayer("a");
  EXPECT_EQ(h.undoCount(), 1u);
  EXPECT_EQ(h.undo()->layerId, "b");
  h.clear();
  EXPECT_FALSE(h.canUndo());
  EXPECT_FALSE(h.canRedo());
}

}  // namespace
}  // namespace bcmap
