## Client satisfaction (NPS), issue 15
nps-question = How likely are you to recommend us to a friend? Rate from 0 to 10 ({ $product }).
nps-subject = How are our insoles?
nps-thanks = 🙏 Thank you for the rating!
nps-review = We would be grateful for a review: { $url }
nps-better = What could we do better? Write it in one message.
nps-already = You have answered already, thank you!
nps-comment-thanks = 🙏 Thank you, we will take it into account.
nps-task = 😟 Rating { $score }/10 for order #{ $id } ({ $product }): call and sort it out
nps-page-title = Your rating
nps-page-question = How likely are you to recommend us to a friend?
nps-page-low = 0 — not at all
nps-page-high = 10 — certainly
nps-page-comment = What could we do better?
nps-page-send = Send
nps-page-forged = This link is not valid. Check that it was copied in full.
nps-page-expired = This link has expired. Thank you for stopping by!
nps-page-answered = You have answered already. Thank you!
