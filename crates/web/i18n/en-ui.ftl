# ui: messages of this area (en)
fmt-won = { $amount } won
member-family-number = family no. { $id }
