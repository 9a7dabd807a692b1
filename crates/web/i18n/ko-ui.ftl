# ui: messages of this area (ko)
fmt-won = { $amount }원
member-family-number = 가족 번호 { $id }
