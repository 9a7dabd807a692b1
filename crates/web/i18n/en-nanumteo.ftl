# nanumteo: messages of this area (en)
