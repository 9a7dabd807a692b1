# nanumteo: messages of this area (ko)
